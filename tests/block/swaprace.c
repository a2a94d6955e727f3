/* swaprace: the two halves of the block-swap test.
 *
 *   swaprace swap PATH FILE SECONDS TARGET...
 *       The attacker: for SECONDS, makes PATH by turns the regular file
 *       FILE (a hard link to it) and a symbolic link to each TARGET, each
 *       time by rename(2) of a fresh name over PATH, as fast as it can.
 *   swaprace watch REPORT NODE... -- COMMAND...
 *       Watches each NODE (a device node) with inotify while COMMAND runs,
 *       then writes to REPORT one line per NODE: "NODE opened N written M",
 *       N the opens of the node, M the closes of a descriptor opened for
 *       writing. An O_PATH descriptor is not an open here (Linux reports
 *       none for it). Exits with COMMAND's status. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
    fputs("usage: swaprace swap PATH FILE SECONDS TARGET...\n"
          "       swaprace watch REPORT NODE... -- COMMAND...\n",
          stderr);
    return 2;
}

/* Puts at (path) a hard link to (file), or a symbolic link to (target). */
static void place(const char *path, const char *tmp, const char *file,
                  const char *target)
{
    unlink(tmp);
    if ((target ? symlink(target, tmp) : link(file, tmp)) == 0)
        rename(tmp, path);
}

static int swap(int argc, char **argv)
{
    char tmp[PATH_MAX];

    if (argc < 6)
        return usage();
    const char *path = argv[2], *file = argv[3];
    time_t end = time(NULL) + atoi(argv[4]);
    snprintf(tmp, sizeof(tmp), "%s.swap", path);
    while (time(NULL) < end)
        for (int t = 5; t < argc; t++) {
            place(path, tmp, file, NULL);
            place(path, tmp, file, argv[t]);
        }
    return 0;
}

struct node {
    const char *path;
    int wd;
    unsigned opened, written;
};

static void count_events(int in, struct node *nodes, int n)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

    for (;;) {
        ssize_t len = read(in, buf, sizeof(buf));
        if (len <= 0)
            return;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            for (int i = 0; i < n; i++) {
                if (e->wd != nodes[i].wd)
                    continue;
                nodes[i].opened += (e->mask & IN_OPEN) != 0;
                nodes[i].written += (e->mask & IN_CLOSE_WRITE) != 0;
            }
            p += sizeof(*e) + e->len;
        }
    }
}

static int run(char **cmd)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        execvp(cmd[0], cmd);
        perror(cmd[0]);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        perror("swaprace");
        return 125;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int watch(int argc, char **argv)
{
    struct node nodes[8];
    int n = 0, in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), i = 3;

    if (argc < 6 || in < 0)
        return in < 0 ? (perror("inotify_init1"), 125) : usage();
    for (; i < argc && strcmp(argv[i], "--") != 0 && n < 8; i++, n++) {
        nodes[n] = (struct node){argv[i], -1, 0, 0};
        nodes[n].wd = inotify_add_watch(in, argv[i], IN_OPEN | IN_CLOSE_WRITE);
        if (nodes[n].wd < 0) {
            perror(argv[i]);
            return 125;
        }
    }
    if (i + 1 >= argc)
        return usage();
    int status = run(argv + i + 1);
    count_events(in, nodes, n);
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 125;
    }
    for (i = 0; i < n; i++)
        fprintf(f, "%s opened %u written %u\n", nodes[i].path, nodes[i].opened,
                nodes[i].written);
    fclose(f);
    return status;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "swap") == 0)
        return swap(argc, argv);
    if (argc > 1 && strcmp(argv[1], "watch") == 0)
        return watch(argc, argv);
    return usage();
}
