#!/bin/bash
# guest-access.sh: the rule that keeps hypercall handlers from reading a
# guest field twice, checked on the sources. A handler copies its struct in
# once (mon_hc_args) and never holds a pointer to it in guest memory; only
# the accessors and the boot code touch guest memory through its base
# address (m->mem), and the net ring only through its one checked helper and its own mapping.
. "$(dirname "$0")/../lib.sh"
cd "$SRCDIR/modules" || exit 1

ptrs=$(grep -nE 'struct hvt_hc_[a-z_]+ *\* *[a-z_]+ *=' -- */*.c)
check "no handler points into guest memory at its struct${ptrs:+: $ptrs}" \
    [ -z "$ptrs" ]

# Each file that may use the guest memory base, and how many times.
expected='core/elf_load.c:1
core/kvm_x86_64.c:6
core/mon_util.c:4
dumpcore/dumpcore.c:3
gdb/gdb.c:1
net/ring.c:2'
got=$(grep -cE '\bm(->|\.)mem\b' -- */*.c | grep -v ':0$' | sort)
check "guest memory base used only where allowed" [ "$got" = "$expected" ]
[ "$got" = "$expected" ] || diff <(echo "$expected") <(echo "$got")
finish
