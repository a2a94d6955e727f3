/* measure.c: runs one command and reports, on one line of stdout, its
 * whole-process cost as bench/run needs it: the monotonic clock just before
 * the spawn and just after the wait (so a monitor's own TENDER_TRACE
 * timestamps fall between them), the elapsed time, the child's peak RSS and
 * its exit status:
 *
 *     START_NS END_NS ELAPSED_NS PEAK_RSS_KIB STATUS
 *
 * usage: measure [-m] [-t SECONDS] [-o OUT] [-e ERR] -- COMMAND [ARGS...]
 * The command's stdout and stderr go to OUT and ERR (default /dev/null).
 * STATUS is the exit status, or 128 + the signal that ended it. A command
 * still running after SECONDS (default 300) is killed (STATUS 137), so a
 * benchmark never hangs on a stuck guest.
 *
 * PEAK_RSS_KIB is 0 unless -m is given. With -m the command runs traced,
 * stopped just before it exits, with its memory still mapped, and the
 * peak is its VmHWM from /proc: getrusage's ru_maxrss cannot serve, as
 * the kernel reads it from per-CPU counters that a process of a few
 * hundred pages may never have folded in (it reads 0 here), and it
 * counts the spawning process's pages in the child's. The times of a -m
 * run include the tracing, so bench/run times runs without -m. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int usage(void)
{
    fputs("usage: measure [-m] [-t SECONDS] [-o OUT] [-e ERR] -- COMMAND "
          "[ARGS...]\n",
          stderr);
    return 2;
}

/* The command being measured, killed when the time limit passes. */
static volatile pid_t child;

static void on_alarm(int sig)
{
    (void)sig;
    if (child > 0)
        kill(child, SIGKILL);
}

static void watch(pid_t pid, unsigned seconds)
{
    child = pid;
    signal(SIGALRM, on_alarm);
    alarm(seconds);
}

/* VmHWM of (pid) in KiB, from /proc/PID/status; -1 if it cannot be read. */
static long peak_rss(pid_t pid)
{
    char path[64], buf[4096];
    FILE *f;
    long kib = -1;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(buf, sizeof(buf), f))
        if (strncmp(buf, "VmHWM:", 6) == 0)
            kib = strtol(buf + 6, NULL, 10);
    fclose(f);
    return kib;
}

static int wait_for(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR) {
            perror("measure: waitpid");
            return -1;
        }
    return 0;
}

/* -m: fork, PTRACE_TRACEME, exec; then stop the child at its exit (the
 * PTRACE_EVENT_EXIT stop comes before its memory is released), read its
 * peak, let it go. Returns its wait status, or -1. */
static int run_traced(char **argv, const char *out, const char *err,
                      unsigned limit, long *rss)
{
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr) ||
            ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    watch(pid, limit);
    if (wait_for(pid, &status) < 0 || !WIFSTOPPED(status))
        return -1; /* the stop at exec */
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, pid, 0, 0);
    for (;;) {
        if (wait_for(pid, &status) < 0)
            return -1;
        if (WIFEXITED(status) || WIFSIGNALED(status))
            return status;
        int sig = WSTOPSIG(status);
        if (sig == SIGTRAP && (status >> 16) == PTRACE_EVENT_EXIT) {
            *rss = peak_rss(pid);
            sig = 0;
        } else if (sig == SIGTRAP)
            sig = 0;
        ptrace(PTRACE_CONT, pid, 0, sig);
    }
}

static void report(uint64_t t0, uint64_t t1, long rss, int status)
{
    int st = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

    printf("%llu %llu %llu %ld %d\n", (unsigned long long)t0,
           (unsigned long long)t1, (unsigned long long)(t1 - t0), rss, st);
}

static int report_traced(char **argv, const char *out, const char *err,
                         unsigned limit)
{
    long rss = -1;
    uint64_t t0 = now_ns();
    int status = run_traced(argv, out, err, limit, &rss);
    uint64_t t1 = now_ns();

    if (status < 0) {
        fprintf(stderr, "measure: cannot trace %s\n", argv[0]);
        return 1;
    }
    report(t0, t1, rss, status);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null", *err = "/dev/null";
    int opt, memory = 0;
    unsigned limit = 300;

    while ((opt = getopt(argc, argv, "mt:o:e:")) != -1) {
        if (opt == 'm')
            memory = 1;
        else if (opt == 't')
            limit = (unsigned)strtoul(optarg, NULL, 10);
        else if (opt == 'o')
            out = optarg;
        else if (opt == 'e')
            err = optarg;
        else
            return usage();
    }
    if (optind >= argc)
        return usage();
    if (memory)
        return report_traced(argv + optind, out, err, limit);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);

    pid_t pid;
    int status;
    uint64_t t0 = now_ns();
    int rc =
        posix_spawnp(&pid, argv[optind], &fa, NULL, argv + optind, environ);
    if (rc != 0) {
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[optind],
                strerror(rc));
        return 1;
    }
    watch(pid, limit);
    if (wait_for(pid, &status) < 0)
        return 1;
    uint64_t t1 = now_ns();
    report(t0, t1, 0, status);
    return 0;
}
