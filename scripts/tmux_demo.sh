#!/usr/bin/env bash
# Drive the real photodesk terminal UI in tmux, step by step, so anyone can watch it.
#
#   scripts/tmux_demo.sh                 # run the steps, print each screen, exit 0 if all passed
#   scripts/tmux_demo.sh --watch         # pause before each step (attach with the printed command)
#   scripts/tmux_demo.sh --keep DIR      # import into DIR and keep it afterwards
#
# Steps: import photos/ with its notes into a temporary archive; open the UI in a
# detached 160x45 tmux session (PHOTODESK_IMAGES=halfcell); browse; search "fence";
# edit the first match's caption and save it (ctrl+s); mark the 2019 fence as before
# (b) and the 2023 fence as after (a), which opens the pair screen; quit. After each
# key the script polls `tmux capture-pane` until the expected text shows (up to
# $DEMO_TIMEOUT seconds, default 15), and fails naming the step otherwise.
#
# The photodesk it runs: $PHOTODESK if set, else the one beside `python3`'s
# interpreter (the active venv's), else `photodesk` on PATH, else the repo's .venv.
# The tmux server is private to this run (its own socket) and is killed on exit,
# with the temporary archive.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
photos="$repo/photos"
story="Rason–Quanhe trade hub, July 2023"
caption="EDITED IN TMUX: a single barbed-wire fence on the Chinese bank of the Tumen River."
timeout=${DEMO_TIMEOUT:-15}
watch=0
keep=""

while [ $# -gt 0 ]; do
    case "$1" in
        --watch) watch=1 ;;
        --keep) keep=${2:?--keep needs a folder}; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "tmux_demo: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

command -v tmux >/dev/null || { echo "tmux_demo: tmux is not installed" >&2; exit 2; }
if [ -z "${PHOTODESK:-}" ]; then
    beside=$(python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "photodesk"))')
    if [ -x "$beside" ]; then PHOTODESK=$beside; else PHOTODESK=$(command -v photodesk || true); fi
    [ -z "$PHOTODESK" ] && [ -x "$repo/.venv/bin/photodesk" ] && PHOTODESK=$repo/.venv/bin/photodesk
fi
[ -n "$PHOTODESK" ] && [ -x "$PHOTODESK" ] || { echo "tmux_demo: no photodesk found (set \$PHOTODESK)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/photodesk-tmux-demo.XXXXXX")
archive=${keep:-$work/archive}
socket="photodesk-demo-$$"
session=demo
tm() { tmux -L "$socket" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step=""
screen() { tm capture-pane -p -t "$session" 2>/dev/null || true; }
fail() {
    echo "tmux_demo: step '$step' failed: $1" >&2
    echo "--- the screen at that moment ---" >&2
    screen >&2
    exit 1
}
# wait_for TEXT...: poll the screen until every TEXT is on it
wait_for() {
    local deadline=$((SECONDS + timeout)) text missing
    while :; do
        local shown
        shown=$(screen)
        missing=""
        for text in "$@"; do
            grep -qF -- "$text" <<<"$shown" || { missing=$text; break; }
        done
        [ -z "$missing" ] && return 0
        tm has-session -t "$session" 2>/dev/null || fail "photodesk exited while waiting for '$missing'"
        [ $SECONDS -ge $deadline ] && fail "'$missing' did not appear within ${timeout}s"
        sleep 0.1
    done
}
begin() {
    step=$1
    if [ $watch = 1 ]; then
        read -r -p "next: $step — press Enter " _ </dev/tty
    fi
}
show() {
    echo "===== $step ====="
    screen
}
keys() { tm send-keys -t "$session" "$@"; }
# move_to FILE: move the table's cursor until the preview shows FILE (down, then up)
move_to() {
    local key i
    for key in Down Up; do
        for i in 1 2 3 4 5 6; do
            screen | grep -qF "File: $1" && return 0
            keys "$key"
            sleep 0.2
        done
    done
    fail "the cursor never reached $1"
}

step="import"
"$PHOTODESK" --archive "$archive" import "$photos" --captions "$photos/captions.csv" \
    --story "$story" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; fail "import failed"; }
echo "===== import ====="
cat "$work/import.log"

begin "browse"
tm new-session -d -s "$session" -x 160 -y 45 \
    "env PHOTODESK_IMAGES=halfcell TERM=xterm-256color '$PHOTODESK' --archive '$archive'"
[ $watch = 1 ] && echo "watch it: tmux -L $socket attach -t $session -r"
wait_for "10 photos" "all photos" "quanhe_07_double_fence.jpg"
show

begin "search fence"
keys /
sleep 0.3
keys -l fence
wait_for "2 matches for 'fence'" "fence_2019_single.jpg" "quanhe_07_double_fence.jpg"
keys Enter
# Enter hands the focus to the table by a message the app handles after this key:
# a key sent at once could still land in the search box.
sleep 0.5
show

begin "edit caption"
keys e
wait_for "captions in en" "Caption"
# Tab to the caption (after the language switch, headline and title), select all (F7), type.
keys Tab Tab Tab Tab
sleep 0.3
keys F7
keys -l "$caption"
wait_for "EDITED IN TMUX"
screen | grep -F "EDITED IN TMUX" | grep -qF "Caption" || fail "the text went into another field"
keys C-s
wait_for "saved:"
show
keys Escape
wait_for "matches for 'fence'" "Caption: EDITED IN TMUX"

begin "pair"
move_to fence_2019_single.jpg
keys b
wait_for "before: photo"
move_to quanhe_07_double_fence.jpg
keys a
wait_for "Pair 1" "Before: fence_2019_single.jpg" "After: quanhe_07_double_fence.jpg" "Span:"
show

begin "quit"
keys Escape
wait_for "matches for 'fence'"
keys q
deadline=$((SECONDS + timeout))
while tm has-session -t "$session" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && fail "photodesk did not quit on q"
    sleep 0.1
done
echo "===== quit ====="
echo "photodesk quit; all steps passed"
