#!/usr/bin/env python3
"""The comparison: what an analyst would write instead of dus, with Python's sqlite3.

One table row per review, one row per factor answer, one row per finding or learning
point; inserts with executemany in one transaction; an FTS5 index (Porter) over findings
and learning built after the inserts; factor counts by SQL GROUP BY; search by MATCH
ordered by rank.

    analyst.py load DB FILE.jsonl
    analyst.py patterns DB [--kind KIND]
    analyst.py search DB TERM
    analyst.py bulletin DB FROM TO OUT.md
"""
import json
import sqlite3
import sys


def load(db_path, jsonl_path):
    db = sqlite3.connect(db_path)
    db.executescript("""
        PRAGMA journal_mode = WAL;
        CREATE TABLE review (id INTEGER PRIMARY KEY, reference TEXT UNIQUE, kind TEXT, status TEXT,
            classification TEXT, event_date TEXT, release_date TEXT, region TEXT, supervision TEXT, age INTEGER,
            substances TEXT, summary TEXT);
        CREATE TABLE factor_answer (review_id INTEGER, factor TEXT, answer TEXT);
        CREATE TABLE text (id INTEGER PRIMARY KEY, review_id INTEGER, section TEXT, body TEXT, themes TEXT);
    """)
    reviews, answers, texts = [], [], []
    with open(jsonl_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            r = json.loads(line)
            reviews.append((number, r["reference"], r["kind"], r.get("status", "draft"), r.get("classification", "suspected"),
                            r["event_date"], r.get("release_date"), r["region"], r["supervision"], r.get("age"),
                            json.dumps(r.get("substances", [])), r.get("summary")))
            for factor, answer in r.get("factors", {}).items():
                answers.append((number, factor, answer))
            for section in ("findings", "learning"):
                for item in r.get(section, []):
                    texts.append((number, section, item["text"], " ".join(item.get("themes", []))))
    with db:
        db.executemany("INSERT INTO review VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", reviews)
        db.executemany("INSERT INTO factor_answer VALUES (?,?,?)", answers)
        db.executemany("INSERT INTO text (review_id, section, body, themes) VALUES (?,?,?,?)", texts)
    db.executescript("""
        CREATE VIRTUAL TABLE text_fts USING fts5(body, content='text', content_rowid='id', tokenize='porter');
        INSERT INTO text_fts(text_fts) VALUES ('rebuild');
    """)
    db.close()


def patterns(db_path, kind=None):
    db = sqlite3.connect(db_path)
    if kind:
        rows = db.execute("""SELECT factor, answer, count(*) FROM factor_answer JOIN review ON review.id = review_id
                             WHERE review.kind = ? GROUP BY factor, answer""", (kind,)).fetchall()
    else:
        rows = db.execute("SELECT factor, answer, count(*) FROM factor_answer GROUP BY factor, answer").fetchall()
    print(json.dumps([list(row) for row in rows]))


def search(db_path, term):
    db = sqlite3.connect(db_path)
    rows = db.execute("""SELECT text.review_id, snippet(text_fts, 0, '[', ']', '…', 10)
                         FROM text_fts JOIN text ON text.id = text_fts.rowid
                         WHERE text_fts MATCH ? ORDER BY rank LIMIT 20""", (term,)).fetchall()
    print(json.dumps(rows))


def bulletin(db_path, start, end, out_path):
    """A quarter's bulletin as an analyst would make it: counts by GROUP BY over the
    published reviews of the quarter, small counts shown as <5, learning points listed."""
    db = sqlite3.connect(db_path)
    where = "status = 'published' AND classification <> 'not-drug-related' AND event_date BETWEEN ? AND ?"
    shown = lambda n: "<5" if 0 < n < 5 else str(n)
    lines = [f"# Learning bulletin: {start[:7]} to {end[:7]}", "", "| kind | reviews |", "|---|---:|"]
    for kind, count in db.execute(f"SELECT kind, count(*) FROM review WHERE {where} GROUP BY kind", (start, end)):
        lines.append(f"| {kind} | {shown(count)} |")
    lines += ["", "| factor | risk present |", "|---|---:|"]
    for factor, count in db.execute(f"""SELECT factor, count(*) FROM factor_answer JOIN review ON review.id = review_id
                                        WHERE {where} AND answer = 'yes' GROUP BY factor""", (start, end)):
        lines.append(f"| {factor} | {shown(count)} |")
    lines += ["", "## Learning", ""]
    for (body,) in db.execute(f"""SELECT DISTINCT body FROM text JOIN review ON review.id = review_id
                                  WHERE {where} AND section = 'learning'""", (start, end)):
        lines.append(f"- {body}")
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "load":
        load(sys.argv[2], sys.argv[3])
    elif command == "patterns":
        patterns(sys.argv[2], sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--kind" else None)
    elif command == "search":
        search(sys.argv[2], sys.argv[3])
    elif command == "bulletin":
        bulletin(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
