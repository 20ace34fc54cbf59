#!/bin/sh
# Tests of the tracer: runs test/testprog under it and checks the log.
#   run-tests.sh TRACER TESTPROG WORKDIR [PROG32]
# PROG32 (test/prog32.c, x86_64 only) is a 32-bit program for --syscalls; the
# test that needs it is skipped when it is not given or does not exist.
# Plain POSIX sh, grep-free (awk only), so the same script runs on the host
# (make test) and inside a minimal Debian container (TracerContainerIT).
set -u

TRACER=$1
TESTPROG=$2
WORK=$3
PROG32=${4-}

failures=0
checks=0
pass() { checks=$((checks + 1)); }
fail() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "FAIL: $*" >&2
}

rm -rf "$WORK"
mkdir -p "$WORK/dir"
DIR=$(cd "$WORK/dir" && pwd -P)
WORK=$(cd "$WORK" && pwd -P)
# fixtures: (re)creates DIR as the workload expects it
fixtures() {
    rm -rf "$DIR"
    mkdir -p "$DIR"
    for f in dirfd-file.txt thread-file.txt rel-file.txt rel-raw.txt child-fork.txt child-vfork.txt child-spawn.txt \
        own-seccomp.txt own-seccomp-child.txt linger.txt; do
        echo "$f" >"$DIR/$f"
    done
    echo weird >"$DIR/we\"ird
name.txt"
    ln -s dirfd-file.txt "$DIR/link"
}
fixtures
TESTPROG=$(cd "$(dirname "$TESTPROG")" && pwd -P)/$(basename "$TESTPROG")

# expect NAME NEEDLE...: some line of $LOG contains every NEEDLE (fixed strings).
expect() {
    name=$1
    shift
    N1=${1-} N2=${2-} N3=${3-} N4=${4-} awk '
        BEGIN { n1 = ENVIRON["N1"]; n2 = ENVIRON["N2"]; n3 = ENVIRON["N3"]; n4 = ENVIRON["N4"] }
        index($0, n1) && index($0, n2) && index($0, n3) && index($0, n4) { found = 1; exit }
        END { exit found ? 0 : 1 }' "$LOG"
    if [ $? -eq 0 ]; then pass; else fail "$name: no line with [$*] in $LOG"; fi
}

# pid_of NEEDLE: the pid of the first line containing NEEDLE.
pid_of() {
    N1=$1 awk 'index($0, ENVIRON["N1"]) { print $1; exit }' "$LOG"
}

expect_eq() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: expected [$3], got [$2]"; fi
}

# not_running NAME PID: PID is gone, or a zombie waiting for its new parent to
# reap it (outside a pid namespace the tracer is not the orphans' parent)
not_running() {
    if [ -z "$2" ]; then
        fail "$1: no pid"
        return
    fi
    state=$(awk '{ print $3 }' "/proc/$2/stat" 2>/dev/null)
    if [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]; then pass; else fail "$1: $2 still running (state $state)"; fi
}

# --- the workload ----------------------------------------------------------
LOG=$WORK/main.log
"$TRACER" -o "$LOG" --status "$WORK/main.status" -- "$TESTPROG" main "$DIR"
expect_eq "main exit code" "$?" 0
expect_eq "main status" "$(cat "$WORK/main.status")" "ok exit=0"

expect "execve of the program" "execve(\"$TESTPROG\", [\"$TESTPROG\", \"main\", \"$DIR\"], " ") = 0"
expect "dlopen by name" "libm.so.6\", O_RDONLY|O_CLOEXEC) = " "libm.so.6>"
expect "open of the directory" "(AT_FDCWD<" "\"$DIR\", O_RDONLY|O_DIRECTORY) = " "<$DIR>"
expect "openat relative to a dirfd" "openat(" "<$DIR>, \"dirfd-file.txt\", O_RDONLY) = " "<$DIR/dirfd-file.txt>"
expect "thread open" "\"$DIR/thread-file.txt\", O_RDONLY) = " "<$DIR/thread-file.txt>"
main_pid=$(pid_of "\"dirfd-file.txt\"")
thread_pid=$(pid_of "thread-file.txt")
if [ -n "$thread_pid" ] && [ "$thread_pid" != "$main_pid" ]; then pass; else fail "thread: pid $thread_pid should differ from $main_pid"; fi
expect "stat of a missing file" "\"$DIR/missing-file\", " ") = -1 ENOENT (No such file or directory)"
expect "statx of a missing file" "statx(" "<$DIR>, \"missing-statx\", " ") = -1 ENOENT (No such file or directory)"
expect "access" "\"$DIR/dirfd-file.txt\", R_OK) = 0"
expect "readlink" "\"$DIR/link\", \"dirfd-file.txt\", " ") = 14"
expect "created file" "\"$DIR/created.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = " "<$DIR/created.txt>"
expect "escaped name" '"we\"ird\nname.txt", O_RDONLY) = ' '/we\"ird\nname.txt>'
expect "chdir" "chdir(\"$DIR\") = 0"
expect "relative open via cwd" "openat(AT_FDCWD<$DIR>, \"rel-file.txt\", O_RDONLY) = " "<$DIR/rel-file.txt>"
expect "relative open failure via cwd" "openat(AT_FDCWD<$DIR>, \"rel-missing.txt\", O_RDONLY) = -1 ENOENT"
expect "fchdir" "fchdir(" "<$DIR>) = 0"
if [ "$(uname -m)" = x86_64 ]; then
    expect "raw open() relative" "open(\"rel-raw.txt\", O_RDONLY) = " "<$DIR/rel-raw.txt>"
fi
for how in fork vfork spawn; do
    expect "exec of the $how child" "execve(\"$TESTPROG\", [\"$TESTPROG\", \"child\", \"$DIR\", \"child-$how.txt\"], " ") = 0"
    expect "open in the $how child" "\"$DIR/child-$how.txt\", O_RDONLY) = " "<$DIR/child-$how.txt>"
    child_pid=$(pid_of "child-$how.txt\", O_RDONLY")
    if [ -n "$child_pid" ] && [ "$child_pid" != "$main_pid" ]; then pass; else fail "$how child: pid $child_pid should differ from $main_pid"; fi
done
expect "fork or clone logged with the child pid" "$main_pid" ") = $(pid_of "child-fork.txt\", O_RDONLY")"

# creations and removals (testprog's fs_changes), with the cwd DIR after fchdir
CWD="AT_FDCWD<$DIR>"
expect "mkdirat relative to a dirfd" "mkdirat(" "<$DIR>, \"made-at\", 0750) = 0"
expect "mkdirat with a missing parent" "mkdirat($CWD, \"$DIR/no-parent/made-at\", 0755) = -1 ENOENT (No such file or directory)"
expect "mknodat of a fifo" "mknodat(" "<$DIR>, \"fifo-at\", S_IFIFO|0600) = 0"
expect "renameat2 between dirfds" "renameat2(" "<$DIR>, \"made-at\", " "<$DIR>, \"renamed-at\", RENAME_NOREPLACE) = 0"
expect "renameat to the cwd" "renameat(" "<$DIR>, \"renamed-at\", $CWD, \"renamed-cwd\") = 0"
expect "linkat" "linkat(" "<$DIR>, \"dirfd-file.txt\", " "<$DIR>, \"hard-link-at\", 0) = 0"
expect "symlinkat: the target text first" "symlinkat(\"symlink-target\", " "<$DIR>, \"sym-link-at\") = 0"
for name in sym-link-at hard-link-at fifo-at; do
    expect "unlinkat of $name" "unlinkat(" "<$DIR>, \"$name\", 0) = 0"
done
expect "unlinkat of a directory" "unlinkat(" "<$DIR>, \"renamed-cwd\", AT_REMOVEDIR) = 0"
expect "unlinkat of a missing file" "unlinkat(" "<$DIR>, \"missing-unlink\", 0) = -1 ENOENT (No such file or directory)"
if [ "$(uname -m)" = x86_64 ]; then
    expect "mkdir" "mkdir(\"$DIR/made-dir\", 0755) = 0"
    expect "mkdir with a missing parent" "mkdir(\"$DIR/no-parent/made-dir\", 0755) = -1 ENOENT (No such file or directory)"
    expect "rename" "rename(\"$DIR/made-dir\", \"$DIR/renamed-dir\") = 0"
    expect "rmdir" "rmdir(\"$DIR/renamed-dir\") = 0"
    expect "rmdir of a missing directory" "rmdir(\"$DIR/missing-dir\") = -1 ENOENT (No such file or directory)"
    expect "mknod of a fifo" "mknod(\"$DIR/fifo\", S_IFIFO|0644) = 0"
    expect "link" "link(\"$DIR/dirfd-file.txt\", \"$DIR/hard-link\") = 0"
    expect "symlink: the target text first" "symlink(\"symlink-target\", \"$DIR/sym-link\") = 0"
    for name in fifo hard-link sym-link; do
        expect "unlink of $name" "unlink(\"$DIR/$name\") = 0"
    done
fi

# every line is in the strace -o shape: pid padded to 5, a space, a call, " = "
LOG_LINES=$(awk 'END { print NR }' "$LOG")
bad=$(awk '!/^[0-9]+ +[a-z0-9_]+\(.*\) = (-1 E[A-Z0-9_]+ \(.*\)|\? .*|[0-9]+(<.*>)?)$/ { print NR ": " $0; exit }' "$LOG")
if [ -z "$bad" ] && [ "$LOG_LINES" -gt 10 ]; then pass; else fail "line shape: $bad"; fi

# --- both modes log the same lines -------------------------------------------
# normalized LOG: without the pid column, hex numbers (pointers move with ASLR)
# and the pids clone, clone3, fork and vfork return. ENOSYS lines are dropped:
# a call an outer seccomp profile refuses with an errno (Docker's refuses clone3
# with ENOSYS, so glibc falls back to clone) is refused before the tracer's
# filter asks for a stop, so only syscall mode sees it.
normalized() {
    awk '{
        sub(/^[0-9]+ +/, "")
        gsub(/0x[0-9a-f]+/, "0x?")
        if ($0 ~ /^(clone|clone3|fork|vfork)\(/) sub(/= [0-9]+$/, "= PID")
        if ($0 !~ /= -1 ENOSYS \(/) print
    }' "$1"
}

# same_lines NAME A B: A and B hold the same lines, as multisets
same_lines() {
    normalized "$2" >"$2.norm"
    normalized "$3" >"$3.norm"
    diff=$(awk 'FNR == NR { n[$0]++; next } { n[$0]-- }
        END { for (k in n) if (n[k]) printf "  %+d %s\n", n[k], k }' "$2.norm" "$3.norm")
    lines=$(awk 'END { print NR }' "$2.norm")
    if [ -z "$diff" ] && [ "$lines" -gt 5 ]; then pass; else fail "$1: $lines lines; +N only in $2, -N only in $3:
$diff"; fi
}

fixtures
"$TRACER" --no-seccomp -o "$WORK/main-syscall.log" --status "$WORK/main-syscall.status" -- "$TESTPROG" main "$DIR"
expect_eq "--no-seccomp exit code" "$?" 0
expect_eq "--no-seccomp status" "$(cat "$WORK/main-syscall.status")" "ok exit=0 mode=syscall"
same_lines "main: seccomp and syscall modes" "$WORK/main.log" "$WORK/main-syscall.log"

# a program that installs a seccomp filter of its own, in both modes
for mode in seccomp syscall; do
    fixtures
    LOG=$WORK/own-$mode.log
    opt=
    want="ok exit=0"
    if [ $mode = syscall ]; then opt=--no-seccomp want="ok exit=0 mode=syscall"; fi
    "$TRACER" $opt -o "$LOG" --status "$WORK/own-$mode.status" -- "$TESTPROG" own-seccomp "$DIR"
    expect_eq "own filter, $mode mode: exit code" "$?" 0
    expect_eq "own filter, $mode mode: status" "$(cat "$WORK/own-$mode.status")" "$want"
    expect "own filter, $mode mode: open after it" "\"$DIR/own-seccomp.txt\", O_RDONLY) = " "<$DIR/own-seccomp.txt>"
    expect "own filter, $mode mode: exec of a child" "execve(\"$TESTPROG\", [\"$TESTPROG\", \"child\", \"$DIR\", \"own-seccomp-child.txt\"], " ") = 0"
    expect "own filter, $mode mode: open in the child" "\"$DIR/own-seccomp-child.txt\", O_RDONLY) = " "<$DIR/own-seccomp-child.txt>"
done
same_lines "own filter: seccomp and syscall modes" "$WORK/own-seccomp.log" "$WORK/own-syscall.log"

# --- exit status passthrough ----------------------------------------------
# (the exact status lines above and below also say no process was left to kill)
LOG=$WORK/exit.log
"$TRACER" -o "$LOG" --status "$WORK/exit.status" -- "$TESTPROG" exit 42
expect_eq "exit code passthrough" "$?" 42
expect_eq "exit status file" "$(cat "$WORK/exit.status")" "ok exit=42"

"$TRACER" -o "$WORK/signal.log" --status "$WORK/signal.status" -- "$TESTPROG" signal
expect_eq "signal death exit code" "$?" 143
expect_eq "signal status file" "$(cat "$WORK/signal.status")" "ok signal=15"

"$TRACER" --no-seccomp -o "$WORK/exit-syscall.log" --status "$WORK/exit-syscall.status" -- "$TESTPROG" exit 42
expect_eq "--no-seccomp exit code passthrough" "$?" 42
"$TRACER" --no-seccomp -o "$WORK/signal-syscall.log" --status "$WORK/signal-syscall.status" -- "$TESTPROG" signal
expect_eq "--no-seccomp signal death exit code" "$?" 143
expect_eq "--no-seccomp signal status file" "$(cat "$WORK/signal-syscall.status")" "ok signal=15 mode=syscall"

# --- PATH lookup -------------------------------------------------------------
PATH="$(dirname "$TESTPROG"):$PATH" "$TRACER" -o "$WORK/path.log" --status "$WORK/path.status" -- "$(basename "$TESTPROG")" exit 7
expect_eq "PATH lookup exit code" "$?" 7
LOG=$WORK/path.log
expect "PATH lookup execs the full path" "execve(\"$TESTPROG\", " ") = 0"

# --- the tracer's own failures ---------------------------------------------
"$TRACER" -o "$WORK/x.log" --status "$WORK/notfound.status" -- /nonexistent/program 2>/dev/null
expect_eq "program not found exit code" "$?" 127
case $(cat "$WORK/notfound.status") in "error exec"*) pass ;; *) fail "not found status: $(cat "$WORK/notfound.status")" ;; esac

"$TRACER" -o "$WORK/no/such/dir/x.log" --status "$WORK/nolog.status" -- "$TESTPROG" exit 0 2>/dev/null
expect_eq "unwritable log exit code" "$?" 125
case $(cat "$WORK/nolog.status") in "error log"*) pass ;; *) fail "unwritable log status: $(cat "$WORK/nolog.status")" ;; esac

"$TRACER" --status "$WORK/usage.status" -- "$TESTPROG" exit 0 2>/dev/null
expect_eq "usage exit code" "$?" 125
case $(cat "$WORK/usage.status") in "error usage"*) pass ;; *) fail "usage status: $(cat "$WORK/usage.status")" ;; esac

# --- timeout kills the whole tree --------------------------------------------
# 3 seconds: enough for the program to start its child even on a loaded machine
start=$(date +%s)
"$TRACER" -o "$WORK/hang.log" --timeout 3 --status "$WORK/hang.status" -- "$TESTPROG" hang "$WORK/hang.pid"
code=$?
elapsed=$(($(date +%s) - start))
expect_eq "timeout exit code" "$code" 124
expect_eq "timeout status file" "$(cat "$WORK/hang.status")" "timeout"
if [ "$elapsed" -le 10 ]; then pass; else fail "a 3s timeout took ${elapsed}s"; fi
not_running "timeout: the hanging child" "$(cat "$WORK/hang.pid" 2>/dev/null)"
LOG=$WORK/hang.log
expect "timeout: log kept up to the kill" "execve(\"$TESTPROG\", " ") = 0"

# --- the run ends with the program -----------------------------------------
# a shell that starts a background child and returns, the default grace (2 s)
LOG=$WORK/daemon.log
start=$(date +%s)
"$TRACER" -o "$LOG" --status "$WORK/daemon.status" -- sh -c 'sleep 30 & echo started' >"$WORK/daemon.out"
code=$?
elapsed=$(($(date +%s) - start))
expect_eq "background child: exit code" "$code" 0
expect_eq "background child: status" "$(cat "$WORK/daemon.status")" "ok exit=0 killed=1"
expect_eq "background child: the shell's output" "$(cat "$WORK/daemon.out")" started
if [ "$elapsed" -ge 1 ] && [ "$elapsed" -le 10 ]; then pass; else fail "background child: took ${elapsed}s, not about the 2s grace"; fi
expect "background child: its exec is logged" "execve(\"" "sleep\", [\"sleep\", \"30\"], " ") = 0"
not_running "background child: sleep killed" "$(pid_of "sleep\", [\"sleep\", \"30\"]")"

# the program's exit status, whatever it leaves behind
"$TRACER" -o "$WORK/orphan.log" --grace 1 --status "$WORK/orphan.status" -- "$TESTPROG" orphan "$WORK/orphan.pid" 3
expect_eq "orphan: exit code" "$?" 3
expect_eq "orphan: status" "$(cat "$WORK/orphan.status")" "ok exit=3 killed=1"
not_running "orphan: killed" "$(cat "$WORK/orphan.pid" 2>/dev/null)"

# --grace 0: killed at once, in both modes
for mode in seccomp syscall; do
    opt=
    want="ok exit=5 killed=1"
    if [ $mode = syscall ]; then opt=--no-seccomp want="ok exit=5 killed=1 mode=syscall"; fi
    rm -f "$WORK/grace0.pid"
    start=$(date +%s)
    "$TRACER" $opt -o "$WORK/grace0-$mode.log" --grace 0 --status "$WORK/grace0-$mode.status" -- "$TESTPROG" orphan "$WORK/grace0.pid" 5
    code=$?
    elapsed=$(($(date +%s) - start))
    expect_eq "--grace 0, $mode mode: exit code" "$code" 5
    expect_eq "--grace 0, $mode mode: status" "$(cat "$WORK/grace0-$mode.status")" "$want"
    if [ "$elapsed" -le 1 ]; then pass; else fail "--grace 0, $mode mode: took ${elapsed}s"; fi
    not_running "--grace 0, $mode mode: killed" "$(cat "$WORK/grace0.pid" 2>/dev/null)"
done

# a child still working when the program exits: traced to its end, and the
# tracer returns with it, not at the end of the grace period
fixtures
LOG=$WORK/linger.log
start=$(date +%s)
"$TRACER" -o "$LOG" --grace 5 --status "$WORK/linger.status" -- "$TESTPROG" linger "$DIR"
code=$?
elapsed=$(($(date +%s) - start))
expect_eq "lingering child: exit code" "$code" 0
expect_eq "lingering child: status" "$(cat "$WORK/linger.status")" "ok exit=0"
if [ "$elapsed" -le 3 ]; then pass; else fail "lingering child: took ${elapsed}s, the grace is 5s"; fi
expect "lingering child: its open after the program's exit" "\"$DIR/linger.txt\", O_RDONLY) = " "<$DIR/linger.txt>"

# --timeout covers the grace period
start=$(date +%s)
"$TRACER" -o "$WORK/late.log" --timeout 2 --grace 30 --status "$WORK/late.status" -- "$TESTPROG" orphan "$WORK/late.pid" 0
code=$?
elapsed=$(($(date +%s) - start))
expect_eq "timeout within the grace period: exit code" "$code" 124
expect_eq "timeout within the grace period: status" "$(cat "$WORK/late.status")" "timeout"
if [ "$elapsed" -le 8 ]; then pass; else fail "timeout within the grace period: took ${elapsed}s"; fi
not_running "timeout within the grace period: killed" "$(cat "$WORK/late.pid" 2>/dev/null)"

"$TRACER" -o "$WORK/x.log" --status "$WORK/badgrace.status" --grace -1 -- "$TESTPROG" exit 0 2>/dev/null
expect_eq "bad --grace exit code" "$?" 125
expect_eq "bad --grace status" "$(cat "$WORK/badgrace.status")" "error usage: bad --grace -1"

# --- --syscalls: every syscall number, per ABI ------------------------------
# has_numbers FILE ABI KIND N...: FILE's line "ABI KIND ..." holds every N
has_numbers() {
    f=$1 abi=$2 kind=$3
    shift 3
    W="$*" ABI=$abi KIND=$kind awk '
        $1 == ENVIRON["ABI"] && $2 == ENVIRON["KIND"] { for (i = 3; i <= NF; i++) have[$i] = 1; found = 1 }
        END { n = split(ENVIRON["W"], w, " "); for (i = 1; i <= n; i++) if (!have[w[i]]) exit 1; exit found ? 0 : 1 }' "$f"
    if [ $? -eq 0 ]; then pass; else fail "--syscalls: no \"$abi $kind\" line with [$*] in $f: $(cat "$f")"; fi
}
# lacks_number FILE ABI KIND N: the line "ABI KIND ..." does not hold N
lacks_number() {
    N=$4 ABI=$2 KIND=$3 awk '$1 == ENVIRON["ABI"] && $2 == ENVIRON["KIND"] { for (i = 3; i <= NF; i++) if ($i == ENVIRON["N"]) exit 1 }' "$1"
    if [ $? -eq 0 ]; then pass; else fail "--syscalls: \"$2 $3\" holds $4 in $1"; fi
}
S=$WORK/sc.txt
"$TRACER" -o "$WORK/sc.log" --status "$WORK/sc.status" --syscalls "$S" -- "$TESTPROG" syscalls >"$WORK/sc.out"
expect_eq "--syscalls: exit code" "$?" 0
expect_eq "--syscalls: status (syscall mode)" "$(cat "$WORK/sc.status")" "ok exit=0 mode=syscall"
expect_eq "--syscalls: the summary's first line" "$(awk 'NR == 1' "$S")" "syscalls 1"
set -- $(cat "$WORK/sc.out") - - - -
abi=$1 getppid=$2 getsid=$3 getpgid=$4
has_numbers "$S" "$abi" ran "$getppid" "$getsid"
has_numbers "$S" "$abi" enosys "$getpgid"
lacks_number "$S" "$abi" ran "$getpgid"
bad=$(awk 'NR > 1 && !/^(x86_64|x32|i386|aarch64|arm) (ran|enosys)( [0-9]+)+$/ && !/^dropped [0-9]+$/ { print; exit }' "$S")
if [ -z "$bad" ]; then pass; else fail "--syscalls: bad line [$bad]"; fi
sorted=$(awk 'NR > 1 && $1 != "dropped" { for (i = 4; i <= NF; i++) if ($i + 0 <= $(i - 1) + 0) { print $1 " " $2; exit } }' "$S")
if [ -z "$sorted" ]; then pass; else fail "--syscalls: numbers not ascending in [$sorted]"; fi

# the file log is the same as without --syscalls
fixtures
"$TRACER" -o "$WORK/main-rec.log" --status "$WORK/main-rec.status" --syscalls "$WORK/main-rec.sc" -- "$TESTPROG" main "$DIR"
expect_eq "--syscalls main: exit code" "$?" 0
same_lines "main: seccomp mode and --syscalls" "$WORK/main.log" "$WORK/main-rec.log"

# written when the time limit kills the tree too (a service)
"$TRACER" -o "$WORK/sc-hang.log" --timeout 1 --status "$WORK/sc-hang.status" --syscalls "$WORK/sc-hang.sc" \
    -- "$TESTPROG" hang "$WORK/sc-hang.pid"
expect_eq "--syscalls timeout: exit code" "$?" 124
expect_eq "--syscalls timeout: status" "$(cat "$WORK/sc-hang.status")" "timeout mode=syscall"
expect_eq "--syscalls timeout: summary written" "$(awk 'NR == 1' "$WORK/sc-hang.sc")" "syscalls 1"

"$TRACER" -o "$WORK/x.log" --status "$WORK/sc-bad.status" --syscalls "$WORK/no/such/dir/sc" -- "$TESTPROG" exit 0 2>/dev/null
expect_eq "unwritable --syscalls: exit code" "$?" 125
case $(cat "$WORK/sc-bad.status") in "error syscalls $WORK/no/such/dir/sc: "*) pass ;; *) fail "unwritable --syscalls status: $(cat "$WORK/sc-bad.status")" ;; esac

# --- the helper modes: index and tar ----------------------------------------
# index_text FILE: one line per record of an index listing: type flags mode
# uid gid nlink size mtime dev:ino path link nxattrs, path and link in hex.
index_text() {
    od -An -v -tu1 "$1" | awk '
        { for (i = 1; i <= NF; i++) b[n++] = $i }
        function u32(p) { return ((b[p] * 256 + b[p+1]) * 256 + b[p+2]) * 256 + b[p+3] }
        function u64(p) { return u32(p) * 4294967296 + u32(p + 4) }
        function hex(p, len,   s, i) { s = ""; for (i = 0; i < len; i++) s = s sprintf("%02x", b[p + i]); return s == "" ? "-" : s }
        END {
            if (n < 8) { print "short"; exit }
            for (p = 8; p + 4 <= n; p += 4 + len) {
                len = u32(p); r = p + 4
                t = sprintf("%c", b[r]); pl = u32(r + 64); ll = u32(r + 68 + pl)
                print t, b[r+1], u32(r+4), u32(r+8), u32(r+12), u32(r+16), u64(r+20), u64(r+28), u64(r+48) ":" u64(r+56), hex(r + 68, pl), hex(r + 72 + pl, ll), u32(r + 72 + pl + ll)
            }
        }'
}
hexof() { printf '%s' "$1" | od -An -v -tx1 | awk '{ for (i = 1; i <= NF; i++) s = s $i } END { print s }'; }
# field N of the index line whose path is PATH
field_of() { awk -v p="$(hexof "$2")" -v f="$1" '$10 == p { print $f; exit }' "$WORK/index.txt"; }

HROOT=$WORK/helper-root
mkdir -p "$HROOT/d/sub" "$HROOT/skip/inner" "$HROOT/empty"
echo content >"$HROOT/d/file"
ln "$HROOT/d/file" "$HROOT/d/hard"
ln -s ../d/file "$HROOT/d/sym"
mkfifo "$HROOT/d/fifo"
NL_NAME=$(printf 'new\nline')
printf 'nl' >"$HROOT/d/$NL_NAME"
BYTE_NAME=$(printf 'byte\377')
printf 'ff' >"$HROOT/d/$BYTE_NAME"
echo hidden >"$HROOT/skip/inner/x"
chmod 4751 "$HROOT/d/file"
# a 4,000-byte path: 20 components of 199 bytes
seg=$(awk 'BEGIN { while (length(s) < 199) s = s "p"; print s }')
long=$HROOT/long
mkdir "$long"
rel=/long
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
    (cd "$long" && mkdir "$seg") && long=$long/$seg && rel=$rel/$seg
done
(cd "$long" && printf 'deep' >"$seg") && rel=$rel/$seg

"$TRACER" index --root "$HROOT" --exclude /skip >"$WORK/index.bin" 2>"$WORK/index.err"
expect_eq "index: exit code" "$?" 0
index_text "$WORK/index.bin" >"$WORK/index.txt"
expect_eq "index: root first" "$(awk 'NR == 1 { print $1, $10 }' "$WORK/index.txt")" "d 2f"
expect_eq "index: trailer counts the entries" "$(awk '$1 == "E" { print $7 }' "$WORK/index.txt")" "$(awk '$1 != "E"' "$WORK/index.txt" | awk 'END { print NR }')"
expect_eq "index: excluded dir left out" "$(awk -v p="$(hexof /skip)" 'index($10, p) == 1' "$WORK/index.txt")" ""
expect_eq "index: file type" "$(field_of 1 /d/file)" f
expect_eq "index: file mode" "$(field_of 3 /d/file)" "$(printf '%d' 0104751)"
expect_eq "index: file size" "$(field_of 7 /d/file)" 8
expect_eq "index: file mtime" "$(field_of 8 /d/file)" "$(stat -c %Y "$HROOT/d/file")"
expect_eq "index: hard link identity" "$(field_of 9 /d/hard)" "$(field_of 9 /d/file)"
expect_eq "index: nlink" "$(field_of 6 /d/hard)" 2
expect_eq "index: symlink target" "$(field_of 11 /d/sym)" "$(hexof ../d/file)"
expect_eq "index: fifo" "$(field_of 1 /d/fifo)" p
expect_eq "index: name with a newline" "$(field_of 7 "/d/$NL_NAME")" 2
expect_eq "index: name with byte 0xff" "$(field_of 7 "/d/$BYTE_NAME")" 2
expect_eq "index: 4000-byte path" "$(field_of 7 "$rel")" 4
expect_eq "index: sorted walk" "$(awk '{ print $10 }' "$WORK/index.txt" | awk -v a="$(hexof /d)" -v b="$(hexof /d/file)" -v c="$(hexof /empty)" '$1 == a { x = NR } $1 == b { y = NR } $1 == c { z = NR } END { print (x < y && y < z) }')" 1
"$TRACER" index --root "$HROOT" --head 4 --exclude /skip >"$WORK/index-head.bin"
expect_eq "index --head: exit code" "$?" 0
# the head of /d/file ("cont") follows its record's xattr count
expect_eq "index --head: the head of a file" "$(od -An -v -c "$WORK/index-head.bin" | awk '{ for (i = 1; i <= NF; i++) s = s $i } END { print (index(s, "/d/file") > 0 && index(s, "004cont") > 0) }')" 1
expect_eq "index --head: same entries" "$(index_text "$WORK/index-head.bin" | awk '{ print $1, $10 }')" "$(awk '{ print $1, $10 }' "$WORK/index.txt")"
"$TRACER" index --root "$WORK/no-such-root" >/dev/null 2>&1
expect_eq "index: missing root" "$?" 2

# tar: the listed paths, read back with tar(1)
printf '/d/file\0/d/hard\0/d/sym\0/d/%s\0/d/%s\0%s\0/d\0/d/missing\0' "$NL_NAME" "$BYTE_NAME" "$rel" >"$WORK/list"
"$TRACER" tar --root "$HROOT" --from "$WORK/list" >"$WORK/out.tar" 2>"$WORK/tar.err"
expect_eq "tar: a missing path makes exit code 1" "$?" 1
case $(cat "$WORK/tar.err") in *"/d/missing"*) pass ;; *) fail "tar: missing path not named: $(cat "$WORK/tar.err")" ;; esac
mkdir "$WORK/untar"
if (cd "$WORK/untar" && tar -xf "$WORK/out.tar" 2>"$WORK/untar.err"); then pass; else fail "tar: tar -x failed: $(cat "$WORK/untar.err")"; fi
for p in d/file d/hard "d/$NL_NAME" "d/$BYTE_NAME" "${rel#/}"; do
    if (cd "$WORK/untar" && cmp -s "$p" "$HROOT/$p"); then pass; else fail "tar: content of $p differs"; fi
done
expect_eq "tar: hard link as a file" "$(cd "$WORK/untar" && stat -c %h d/hard)" 1
expect_eq "tar: mode kept" "$(cd "$WORK/untar" && stat -c %a d/file)" 4751
expect_eq "tar: symlink kept" "$(cd "$WORK/untar" && readlink d/sym)" ../d/file
expect_eq "tar: mtime kept" "$(cd "$WORK/untar" && stat -c %Y d/file)" "$(stat -c %Y "$HROOT/d/file")"
printf '/d/file\0' | "$TRACER" tar --root "$HROOT" >"$WORK/stdin.tar"
expect_eq "tar: list from stdin" "$?" 0
expect_eq "tar: one entry from stdin" "$(tar -tf "$WORK/stdin.tar")" d/file
"$TRACER" tar --root "$HROOT" -- /d/file /d/sym >"$WORK/args.tar"
expect_eq "tar: paths as arguments" "$?" 0
expect_eq "tar: entries of the arguments" "$(tar -tf "$WORK/args.tar" | awk '{ printf "%s ", $0 }')" "d/file d/sym "
# serve: the answers of several requests on one stdin, each the tar `tracer tar`
# writes for its paths, framed ('D' pieces, an 'E' frame with the status);
# a path split across reads; a path too long; the end of input mid-request
# frames FILE: one line per frame, "D offset length" or "E status"
frames() {
    od -An -v -tu1 "$1" | awk '
        { for (i = 1; i <= NF; i++) b[n++] = $i }
        function u32(p) { return ((b[p] * 256 + b[p+1]) * 256 + b[p+2]) * 256 + b[p+3] }
        END {
            for (p = 0; p + 8 <= n;) {
                if (b[p] == 68 && p + 8 + u32(p + 4) <= n) { print "D", p + 8, u32(p + 4); p += 8 + u32(p + 4) }
                else if (b[p] == 69) { print "E", u32(p + 4); p += 8 }
                else { print "bad", p; exit }
            }
            if (p != n) print "trailing", n - p
        }'
}
# answer FILE N: the N-th answer's tar, its D frames joined
answer() {
    frames "$1" | awk -v want="$2" '$1 == "E" { k++; next } k + 1 == want && $1 == "D" { print $2, $3 }' |
        while read -r off len; do tail -c +$((off + 1)) "$1" | head -c "$len"; done
}
(printf '/d/file\0/d/%s\0/d/mis' "$NL_NAME"; sleep 0.2; printf 'sing\0\0/d/sym\0'; sleep 0.2; printf '\0') |
    "$TRACER" serve --root "$HROOT" >"$WORK/serve.out" 2>"$WORK/serve.err"
expect_eq "serve: exit code at the end of input" "$?" 0
expect_eq "serve: two answers, the first with a missing path" "$(frames "$WORK/serve.out" | awk '$1 != "D" { printf "%s%s ", $1, $2 }')" "E1 E0 "
case $(cat "$WORK/serve.err") in *"/d/missing"*) pass ;; *) fail "serve: missing path not named: $(cat "$WORK/serve.err")" ;; esac
printf '/d/file\0/d/%s\0/d/missing\0' "$NL_NAME" | "$TRACER" tar --root "$HROOT" >"$WORK/serve-want1.tar" 2>/dev/null
"$TRACER" tar --root "$HROOT" -- /d/sym >"$WORK/serve-want2.tar"
answer "$WORK/serve.out" 1 >"$WORK/serve-got1.tar"
answer "$WORK/serve.out" 2 >"$WORK/serve-got2.tar"
if cmp -s "$WORK/serve-got1.tar" "$WORK/serve-want1.tar"; then pass; else fail "serve: the first answer is not tar's"; fi
if cmp -s "$WORK/serve-got2.tar" "$WORK/serve-want2.tar"; then pass; else fail "serve: the second answer is not tar's"; fi
printf '\0' | "$TRACER" serve --root "$HROOT" >"$WORK/serve-empty.out"
expect_eq "serve: an empty request, an empty tar" "$(frames "$WORK/serve-empty.out" | awk '{ printf "%s %s; ", $1, ($1 == "D" ? $3 : $2) }')" "D 1024; E 0; "
awk 'BEGIN { while (length(s) < 70000) s = s "a"; printf "/%s", s }' >"$WORK/serve-long"
(cat "$WORK/serve-long"; printf '\0/d/sym\0\0') | "$TRACER" serve --root "$HROOT" >"$WORK/serve-long.out" 2>/dev/null
expect_eq "serve: a path too long, said and left out" "$?/$(frames "$WORK/serve-long.out" | awk '$1 == "E" { print $2 }')" "0/1"
answer "$WORK/serve-long.out" 1 >"$WORK/serve-long.tar"
if cmp -s "$WORK/serve-long.tar" "$WORK/serve-want2.tar"; then pass; else fail "serve: the path after a long one is not as tar writes it"; fi
printf '/d/file\0' | "$TRACER" serve --root "$HROOT" >"$WORK/serve-cut.out" 2>/dev/null
expect_eq "serve: input ending inside a request" "$?/$(frames "$WORK/serve-cut.out" | awk '$1 == "E"')" "2/"
"$TRACER" serve --root "$WORK/no-such-root" </dev/null >/dev/null 2>&1
expect_eq "serve: missing root" "$?" 2

# a traced program that itself uses ptrace (strace, gdb, a sandbox): its own
# PTRACE_TRACEME and its attach to its child fail with EPERM under the tracer,
# and the status line counts them, in both modes
for mode in seccomp syscall; do
    opt=""; suffix=""
    [ "$mode" = syscall ] && { opt="--no-seccomp"; suffix=" mode=syscall"; }
    "$TRACER" $opt -o "$WORK/nested-$mode.log" --status "$WORK/nested-$mode.status" -- "$TESTPROG" nested-ptrace >"$WORK/nested-$mode.out"
    expect_eq "nested ptrace, $mode mode: exit code" "$?" 0
    expect_eq "nested ptrace, $mode mode: both calls refused" "$(cat "$WORK/nested-$mode.out")" 2
    expect_eq "nested ptrace, $mode mode: status" "$(cat "$WORK/nested-$mode.status")" "ok exit=0 ptrace-denied=2$suffix"
    if grep -q " ptrace(" "$WORK/nested-$mode.log"; then fail "nested ptrace, $mode mode: ptrace logged"; else pass; fi
done

# a 32-bit process on x86_64: its calls under the i386 ABI
if [ -n "$PROG32" ] && [ -x "$PROG32" ]; then
    "$TRACER" -o "$WORK/sc32.log" --status "$WORK/sc32.status" --syscalls "$WORK/sc32.sc" -- "$PROG32"
    expect_eq "--syscalls 32-bit: exit code" "$?" 0
    has_numbers "$WORK/sc32.sc" i386 ran 1 20 64
    has_numbers "$WORK/sc32.sc" x86_64 ran 59
else
    echo "tracer tests: no 32-bit test program, skipped the i386 --syscalls case" >&2
fi

# as PID 1, where the orphans are the tracer's own children, when a pid
# namespace can be made (root on the host; not in an unprivileged container)
if unshare --pid --fork --mount-proc true 2>/dev/null; then
    unshare --pid --fork --mount-proc "$TRACER" -o "$WORK/pid1.log" --status "$WORK/pid1.status" \
        -- sh -c 'sleep 30 & echo started; exit 4' >/dev/null
    expect_eq "as PID 1: exit code" "$?" 4
    expect_eq "as PID 1: status" "$(cat "$WORK/pid1.status")" "ok exit=4 killed=1"
else
    echo "tracer tests: no pid namespace (unshare), skipped the PID 1 case" >&2
fi

echo "tracer tests: $checks checks, $failures failures"
[ "$failures" -eq 0 ]
