#!/usr/bin/env python3
"""Counts the tests a step's log reports, whatever ran them; prints "PASSED FAILED SKIPPED".

Reads the closing lines of the runners the test command uses:
  cargo test    test result: ok. 12 passed; 0 failed; 1 ignored; ...
  pytest        3 passed, 1 failed, 2 skipped in 4.2s   (with or without the = rule)
  schemathesis  Test cases:
                  14520 generated, 14518 passed, 2 failed
  our own       Kotlin: 9 passed, 0 failed   (the plain line: a word, a colon, the counts)
  JUnit         OK (4 tests)   or   Tests run: 4,  Failures: 1
A log with none of these counts nothing (the caller then counts the step by its exit code).
"""
import re
import sys

CARGO = re.compile(r"^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored")
PLAIN = re.compile(r"^[\w ]+: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
PYTEST = re.compile(r"^(?:=+ )?(\d+ (?:passed|failed|errors?)\b.*) in [\d.]+s")
SCHEMATHESIS = re.compile(r"^\s*Test cases:\s*$")
JUNIT_OK = re.compile(r"^OK \((\d+) tests?\)\s*$")
JUNIT_FAILED = re.compile(r"^Tests run: (\d+),\s+Failures: (\d+)\s*$")


def counts(words, name):
    m = re.search(r"(\d+) " + name, words)
    return int(m.group(1)) if m else 0


def tally(lines):
    passed = failed = skipped = 0
    lines = [line.rstrip("\n") for line in lines]
    for i, line in enumerate(lines):
        if m := CARGO.match(line):
            passed += int(m.group(1))
            failed += int(m.group(2))
            skipped += int(m.group(3))
        elif m := JUNIT_OK.match(line):
            passed += int(m.group(1))
        elif m := JUNIT_FAILED.match(line):
            passed += int(m.group(1)) - int(m.group(2))
            failed += int(m.group(2))
        elif m := PLAIN.match(line):
            passed += int(m.group(1))
            failed += int(m.group(2))
            skipped += int(m.group(3) or 0)
        elif m := PYTEST.match(line):
            words = m.group(1)
            passed += counts(words, "passed")
            failed += counts(words, "failed") + counts(words, "error")
            skipped += counts(words, "skipped")
        elif SCHEMATHESIS.match(line) and i + 1 < len(lines):
            words = lines[i + 1]
            passed += counts(words, "passed")
            failed += counts(words, "failed")
            skipped += counts(words, "skipped")
    return passed, failed, skipped


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        print(*tally(f))
