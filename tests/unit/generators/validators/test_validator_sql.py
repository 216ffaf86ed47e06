import types

import pytest

from data_designer.generators.validators.code import CodeValidator
from data_designer.generators.validators.sql_check import check_sql


def errors(sql, dialect):
    return check_sql(sql, dialect, use_sqlfluff=False)["error_messages"]


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("SELECT a, b FROM t WHERE b = 'it''s'", "sql:ansi"),
        ("WITH x AS (SELECT 1 AS a) SELECT * FROM x;", "sql:sqlite"),
        ("CREATE TABLE t (a DECIMAL(10, 2), b TEXT);\nINSERT INTO t VALUES (1.5, 'x');", "sql:sqlite"),
        ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; END;", "sql:sqlite"),
        ("SELECT * FROM [my table] WHERE [x)] = 1", "sql:tsql"),
        ("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; ( $$ LANGUAGE sql;", "sql:postgres"),
        ("SELECT `a` FROM t # trailing comment (", "sql:mysql"),
        ("SELECT '''it's''' AS q, 'a\\'b' AS r, ARRAY[1, 2] FROM t", "sql:bigquery"),
        ("-- leading comment\n/* block ( */ SELECT 1; -- tail", "sql:sqlite"),
        ("SELECT missing_col FROM missing_table", "sql:sqlite"),
        ("PRAGMA table_info(t)", "sql:sqlite"),
    ],
)
def test_valid_sql_passes(sql, dialect):
    assert check_sql(sql, dialect, use_sqlfluff=False) == {"is_valid": True, "error_messages": []}


@pytest.mark.parametrize(
    ("sql", "dialect", "fragment"),
    [
        ("SELECT a FROM t WHERE b = 'x", "sql:ansi", "unterminated string literal"),
        ('SELECT "a FROM t', "sql:postgres", "unterminated quoted identifier"),
        ("SELECT 1 /* never closed", "sql:ansi", "unterminated block comment"),
        ("SELECT (a FROM t", "sql:postgres", "unclosed '('"),
        ("SELECT a) FROM t", "sql:mysql", "unexpected ')'"),
        ("Here is the query: SELECT 1", "sql:ansi", "not a SQL keyword"),
        ("```sql\nSELECT 1\n```", "sql:ansi", "not a SQL keyword"),
        ("CREATE TABLE t (price DECIMAL(10))", "sql:tsql", "DECIMAL(precision, scale)"),
        ("SELEC a FROM t", "sql:sqlite", "syntax error"),
        ("SELECT a FROM t WHERE", "sql:sqlite", "incomplete input"),
        ("SELECT a FROM t GROUP BY HAVING", "sql:sqlite", "syntax error"),
        ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1;", "sql:sqlite", "incomplete statement"),
        (";;", "sql:ansi", "no SQL statement"),
        ("", "sql:ansi", "no SQL to validate"),
        (None, "sql:ansi", "no SQL to validate"),
    ],
)
def test_broken_sql_is_flagged(sql, dialect, fragment):
    result = check_sql(sql, dialect, use_sqlfluff=False)
    assert result["is_valid"] is False
    assert any(fragment in message for message in result["error_messages"]), result


def test_errors_name_the_line():
    assert errors("SELECT 1;\nSELECT (2", "sql:ansi") == ["unclosed '(' opened at line 2"]


def test_decimal_inside_string_is_not_flagged():
    assert errors("SELECT 'DECIMAL(10)' AS s", "sql:ansi") == []


def test_unknown_dialect_is_rejected():
    with pytest.raises(ValueError, match="unknown SQL dialect"):
        check_sql("SELECT 1", "sql:oracle")


def test_sqlfluff_is_used_when_importable(monkeypatch):
    calls = []

    def lint(sql, dialect):
        calls.append(dialect)
        return [
            {"code": "LT01", "description": "spacing", "start_line_no": 1},
            {"code": "PRS", "description": "Line 1: unparsable section", "start_line_no": 1},
        ]

    monkeypatch.setitem(__import__("sys").modules, "sqlfluff", types.SimpleNamespace(lint=lint))
    result = check_sql("SELECT a FROM t", "sql:bigquery")
    assert calls == ["bigquery"]
    assert result == {"is_valid": False, "error_messages": ["PRS at line 1: Line 1: unparsable section"]}
    clean = types.SimpleNamespace(lint=lambda sql, dialect: [{"code": "LT01", "description": "spacing"}])
    monkeypatch.setitem(__import__("sys").modules, "sqlfluff", clean)
    assert check_sql("SELECT a FROM t", "sql:ansi")["is_valid"] is True
    assert check_sql("CREATE TABLE t (a DECIMAL(5))", "sql:ansi")["is_valid"] is False


def test_code_validator_runs_sql_per_row():
    rows = CodeValidator("sql:postgres", ["q"]).validate_batch({"q": ["SELECT 1", "SELECT (1"]})
    assert [row["is_valid"] for row in rows] == [True, False]
    assert set(rows[0]) == {"is_valid", "error_messages"}
