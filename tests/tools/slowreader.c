/* slowreader.c: runs a command with its standard output on a one-page pipe
 * and copies what comes through to its own standard output, reading it in
 * small pieces. Every time the pipe is full (the command is blocked in a
 * write) and at least --every bytes came through since the last time, it
 * stops the command (SIGSTOP) and lets it go on (SIGCONT): a write(2) to a
 * pipe that a stop interrupts returns what it had written so far, so the
 * command sees short writes and must retry them to deliver every byte.
 *
 * usage: slowreader [--chunk=N] [--every=N] COMMAND [ARG...]
 *   --chunk=N  bytes per read (default 512)
 *   --every=N  bytes between two stops at most (default 65536)
 *
 * Prints "slowreader: B bytes, S stops with the pipe full" on standard
 * error. Exit status: the command's (128 + N if signal N ended it), 2 for
 * bad usage or a failure of its own. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int die(const char *what)
{
    fprintf(stderr, "slowreader: %s: %s\n", what, strerror(errno));
    return 2;
}

/* Parses --NAME=N (N > 0) into (*v); returns 0, or -1 for another word. */
static int number_option(const char *arg, const char *name, size_t *v)
{
    size_t n = strlen(name);
    char *end;

    if (strncmp(arg, name, n) != 0 || arg[n] != '=')
        return -1;
    unsigned long long x = strtoull(arg + n + 1, &end, 10);
    if (*end || x == 0 || end == arg + n + 1) {
        fprintf(stderr, "slowreader: bad %s\n", arg);
        exit(2);
    }
    *v = (size_t)x;
    return 0;
}

static int write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Stops (pid), waits until it is stopped, and lets it go on. When it ended
 * instead, its wait status goes to (*ended) and (*has_ended) is set. */
static int stop_and_continue(pid_t pid, int *ended, int *has_ended)
{
    int st;

    if (kill(pid, SIGSTOP) < 0)
        return -1;
    if (waitpid(pid, &st, WUNTRACED) < 0)
        return -1;
    if (!WIFSTOPPED(st)) {
        *ended = st;
        *has_ended = 1;
        return 0;
    }
    return kill(pid, SIGCONT);
}

int main(int argc, char **argv)
{
    size_t chunk = 512, every = 65536;
    int i = 1;

    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++)
        if (number_option(argv[i], "--chunk", &chunk) < 0 &&
            number_option(argv[i], "--every", &every) < 0) {
            fprintf(stderr, "slowreader: unknown option %s\n", argv[i]);
            return 2;
        }
    if (i == argc) {
        fprintf(stderr, "usage: slowreader [--chunk=N] [--every=N] COMMAND "
                        "[ARG...]\n");
        return 2;
    }

    int fds[2];
    if (pipe(fds) < 0)
        return die("pipe");
    int capacity = fcntl(fds[1], F_SETPIPE_SZ, 4096);
    if (capacity < 0)
        return die("F_SETPIPE_SZ");
    pid_t pid = fork();
    if (pid < 0)
        return die("fork");
    if (pid == 0) {
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[i], argv + i);
        fprintf(stderr, "slowreader: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    close(fds[1]);

    char *buf = malloc(chunk);
    unsigned long long total = 0, since = 0, stops = 0;
    int st = 0, has_ended = 0;
    if (!buf)
        return die("malloc");
    for (;;) {
        int queued = 0;
        if (!has_ended && since >= every &&
            ioctl(fds[0], FIONREAD, &queued) == 0 && queued >= capacity) {
            if (stop_and_continue(pid, &st, &has_ended) < 0)
                return die("stopping the command");
            stops += !has_ended;
            since = 0;
        }
        ssize_t n = read(fds[0], buf, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return die("read");
        if (n == 0)
            break;
        if (write_all(buf, (size_t)n) < 0)
            return die("write");
        total += (unsigned long long)n;
        since += (unsigned long long)n;
    }

    while (!has_ended && waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return die("waitpid");
    fprintf(stderr, "slowreader: %llu bytes, %llu stops with the pipe full\n",
            total, stops);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
