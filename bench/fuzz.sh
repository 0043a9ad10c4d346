#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (issue 6; docs/reliability.md):
#
#   bash bench/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
#
# The targets are property tests (proptest) run again and again with fresh
# random seeds until the time is up, plus random form and JSON bodies sent
# to every POST route of a real server. It stops at the first failure and
# prints what proptest prints: the smallest input that fails and how to
# replay it. Turn that input into a regression test before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
cases=${FUZZ_CASES_PER_RUN:-2000}
# The same profile as the test suite: one build serves both.
cargo test --locked --no-run -p rightsdesk-domain --test names >/dev/null 2>&1 || cargo test --locked --no-run -p rightsdesk-domain --test names
cargo test --locked --no-run -p rightsdesk-search --test fuzz >/dev/null 2>&1 || cargo test --locked --no-run -p rightsdesk-search --test fuzz
cargo test --locked --no-run -p rightsdesk-export --test fuzz >/dev/null 2>&1 || cargo test --locked --no-run -p rightsdesk-export --test fuzz
cargo test --locked --no-run -p rightsdesk --test hostile >/dev/null 2>&1 || cargo test --locked --no-run -p rightsdesk --test hostile

run_target() { # package test-file test-name
  local pkg=$1 file=$2 name=$3 start runs=0 total=0 per
  start=$(date +%s)
  while (( $(date +%s) - start < secs )); do
    if [[ $file == hostile ]]; then
      per=${FUZZ_REQUESTS_PER_RUN:-500}
      RIGHTSDESK_FUZZ_SEED=$RANDOM$RANDOM RIGHTSDESK_FUZZ_REQUESTS=$per \
        cargo test --locked -q -p "$pkg" --test "$file" "on_sqlite::$name" -- --exact >/tmp/fuzz-$name.log 2>&1 \
        || { cat /tmp/fuzz-$name.log; echo "FAILED: $name (replay: RIGHTSDESK_FUZZ_SEED from the message above)"; exit 1; }
      total=$(( total + 2 * per ))
    else
      seed=$RANDOM$RANDOM
      PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases cargo test --locked -q -p "$pkg" --test "$file" "$name" -- --exact >/tmp/fuzz-$name.log 2>&1 \
        || { cat /tmp/fuzz-$name.log; echo "FAILED: $name (replay: PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases)"; exit 1; }
      total=$(( total + cases ))
    fi
    runs=$(( runs + 1 ))
  done
  printf '| %s | %s | %d s | %d | %d | 0 |\n' "$pkg" "$name" "$(( $(date +%s) - start ))" "$runs" "$total"
}

echo "| package | target | time | runs | inputs | failures |"
echo "|---|---|---|---|---|---|"
run_target rightsdesk-domain names latin_name_variants_are_found
run_target rightsdesk-domain names khmer_name_variants_are_found
run_target rightsdesk-domain names any_text_is_checked_without_panic
run_target rightsdesk-search fuzz normalizer_and_tokenizers_take_any_text
run_target rightsdesk-search fuzz query_parser_takes_any_query
run_target rightsdesk-export fuzz csv_importer_takes_any_bytes
run_target rightsdesk-export fuzz xlsx_importer_takes_damaged_workbooks
run_target rightsdesk-export fuzz what_we_write_reads_back
run_target rightsdesk hostile random_forms_and_json_never_break_the_server
