#!/bin/bash
# module-sources.sh: each module's source files compile on their own
# against the core's interface (modules/core/monitor.h) and the module's
# own headers, as tender-gen's compile sees them (musl's headers, the
# kernel's UAPI headers, _GNU_SOURCE as the template defines it): no file
# leans on what another file of its module happens to define before it in
# monitor.c. Unused static functions and the module's own struct
# mon_module are allowed: the generated tables use them.
# Usage: module-sources.sh MUSL_INCLUDE LINUX_INCLUDE ASM_INCLUDE
. "$(dirname "$0")/../lib.sh"

need_tool clang "the syntax check of the module sources" || { finish; exit; }
musl=$1 linux=$2 asm=$3
mkdir -p "$WORK/kinc"
ln -s "$linux/linux" "$WORK/kinc/linux"
ln -s "$linux/asm-generic" "$WORK/kinc/asm-generic"
ln -s "$asm/asm" "$WORK/kinc/asm"

cd "$SRCDIR"
n=0
for f in modules/*/*.c; do
    n=$((n + 1))
    if clang -std=c11 -Wall -Wextra -Werror -Wno-unused-function \
        -Wno-unused-const-variable -nostdinc -isystem "$musl" \
        -isystem "$WORK/kinc" -D_GNU_SOURCE -fsyntax-only "$f" \
        2>"$WORK/err"; then
        pass "$f compiles on its own"
    else
        fail "$f compiles on its own"; head -20 "$WORK/err"
    fi
done
check "every module's sources were checked ($n files)" [ "$n" -ge 20 ]
finish
