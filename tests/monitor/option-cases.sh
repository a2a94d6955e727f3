# option-cases.sh: sourced by the hvt and spt message tests, which expect
# both targets' monitors to say the same words of the same mistakes.

SAID_RUN=()

# said DESCRIPTION STATUS EXPECTED COMMAND...: COMMAND, run after the words
# of the array SAID_RUN (none by default), exits STATUS and its stderr is
# EXPECTED, exactly.
said() {
    local what=$1 want_st=$2 want=$3 st=0
    shift 3
    "${SAID_RUN[@]}" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || st=$?
    if [ "$st" -eq "$want_st" ] && [ "$(cat "$WORK/err")" = "$want" ]; then
        pass "$what"
    else
        fail "$what (exit $st, expected $want_st)"
        sed 's/^/    got:  /' "$WORK/err"
        echo "$want" | sed 's/^/    want: /'
    fi
}

# option_cases MONITOR SHAPE GUEST: MONITOR, named plain-tender, serves no
# device (its shape is SHAPE): a device option says the manifest declares
# none; a misspelt option names the one meant; a word near nothing is
# only invalid.
option_cases() {
    local p=$1 shape=$2 guest=$3
    said "no net devices: --net:" 1 \
        "plain-tender: --net:service=tap0: this monitor has no net device (shape: $shape): the unikernel's manifest declares none" \
        "$p" --net:service=tap0 "$guest"
    said "no block devices: --block:" 1 \
        "plain-tender: --block:disk=$WORK/d: this monitor has no block device (shape: $shape): the unikernel's manifest declares none" \
        "$p" --block:disk="$WORK/d" "$guest"
    said "misspelt device option: the one meant" 1 \
        "plain-tender: invalid option: \`--nte:service=tap0'; did you mean --net:? (see $p --help)" \
        "$p" --nte:service=tap0 "$guest"
    said "misspelt --mem" 1 \
        "plain-tender: invalid option: \`--mme=64'; did you mean --mem=? (see $p --help)" \
        "$p" --mme=64 "$guest"
    said "misspelt --describe" 1 \
        "plain-tender: invalid option: \`--describ'; did you mean --describe? (see $p --help)" \
        "$p" --describ "$guest"
    said "nothing near" 1 \
        "plain-tender: invalid option: \`--frobnicate' (see $p --help)" \
        "$p" --frobnicate "$guest"
}
