"""Checks that every CTest test of a build carries an environment modification (the one
tests/CMakeLists.txt gives every test: OpenMP threads that sleep while they wait).

Usage: check_test_environment.py CTEST BUILD_DIR MODIFICATION
Lists the tests as CTest will run them (ctest --show-only=json-v1, the Catch2 tests
included) and prints each test whose ENVIRONMENT_MODIFICATION lacks MODIFICATION; exits 1
if there is any, or if there are no tests.
"""
import json
import subprocess
import sys


def main() -> int:
    ctest, build, modification = sys.argv[1:4]
    listing = subprocess.run([ctest, "--test-dir", build, "--show-only=json-v1"],
                             check=True, capture_output=True, text=True).stdout
    tests = json.loads(listing)["tests"]
    missing = []
    for test in tests:
        value = next((p["value"] for p in test.get("properties", [])
                      if p["name"] == "ENVIRONMENT_MODIFICATION"), [])
        if isinstance(value, str):
            value = value.split(";")
        if modification not in value:
            missing.append(test["name"])
    for name in missing:
        print(f"without ENVIRONMENT_MODIFICATION {modification}: {name}")
    print(f"{len(tests) - len(missing)} of {len(tests)} tests run with {modification}")
    return 1 if missing or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
