/* spawn.c: the spt rows' floor: a static program that starts and exits.
 * An spt monitor is a process that loads its guest and jumps to it, so the
 * least any spt monitor can cost is what the kernel charges to exec a
 * static program and reap it; bench/run reports spt monitors against this.
 * Built like the monitors (clang -O2, static musl). */
int main(void)
{
    return 0;
}
