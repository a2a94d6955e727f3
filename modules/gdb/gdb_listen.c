/* gdb_listen.c: where the debugger connects, and who may.
 *
 * A debugger reads and writes all of the guest, so the stub admits only
 * the user the monitor runs as (its effective uid) and root:
 *
 *   --gdb               a Unix socket, mode 0600, in a directory of its
 *                       own (mode 0700) made with mkdtemp in
 *                       $XDG_RUNTIME_DIR when that is a private directory
 *                       of this user, else in /tmp
 *   --gdb=unix:PATH     a Unix socket created at PATH, mode 0600; an
 *                       existing file is never replaced
 *   --gdb-tcp=PORT      TCP on 127.0.0.1 only (0: any free port);
 *   --gdb-port=PORT     the same, solo5-hvt-debug's spelling
 *
 * The file mode keeps other users from connecting to a Unix socket; the
 * peer's credentials (SO_PEERCRED) are checked too. A TCP peer's user is
 * the uid the kernel shows for its end of the connection in
 * /proc/net/tcp. A refused peer is closed unread, the monitor says so in
 * one line and waits for the next one. The socket file and the directory
 * are removed as soon as a debugger is admitted, or when the monitor
 * gives up or is stopped by a signal while it waits.
 *
 * All of it happens before the sandbox closes: the filter needs none of
 * these system calls. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../core/monitor.h"
#include "gdb.h"

/* The longest Unix socket path, without its NUL. */
#define MOD_GDB_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
#define MOD_GDB_SOCK_NAME "/gdb.sock"
#define MOD_GDB_DIR_NAME "/tender-gdb.XXXXXX"

static const int mod_gdb_cleanup_sigs[] = {SIGINT, SIGTERM, SIGHUP};
#define MOD_GDB_NSIGS (sizeof(mod_gdb_cleanup_sigs) / sizeof(int))

static struct {
    int tcp;          /* --gdb-tcp= or --gdb-port= */
    unsigned port;    /* 0: any free port */
    const char *path; /* --gdb=unix:PATH, or NULL for a private directory */
    char dir[MOD_GDB_PATH_MAX + 1];  /* the private directory, once made */
    char sock[MOD_GDB_PATH_MAX + 1]; /* the socket file, once created */
    volatile sig_atomic_t have_dir, have_sock;
    struct sigaction old[MOD_GDB_NSIGS];
    int caught[MOD_GDB_NSIGS];
} mod_gdb_where;

/* ---- options ------------------------------------------------------------ */

static int mod_gdb_parse_port(const char *s, unsigned *port)
{
    unsigned v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 65535)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > 65535)
        return -1;
    *port = v;
    return 0;
}

static int mod_gdb_option_tcp(const char *name, const char *value)
{
    if (mod_gdb_where.path) {
        mon_warn("--gdb=unix:PATH and %s exclude each other", name);
        return -1;
    }
    if (mod_gdb_parse_port(value, &mod_gdb_where.port) < 0) {
        mon_warn("%s takes a TCP port number, 0 to 65535 (0: any free port)",
                 name);
        return -1;
    }
    mod_gdb_where.tcp = 1;
    return 1;
}

static int mod_gdb_option_unix(const char *value)
{
    if (strncmp(value, "unix:", 5) != 0) {
        mon_warn("--gdb= takes unix:PATH, a Unix socket to create (TCP: "
                 "--gdb-tcp=PORT)");
        return -1;
    }
    value += 5;
    if (!*value || strlen(value) > MOD_GDB_PATH_MAX) {
        mon_warn("--gdb=unix:PATH: PATH must be 1 to %zu bytes",
                 MOD_GDB_PATH_MAX);
        return -1;
    }
    if (mod_gdb_where.tcp) {
        mon_warn("--gdb=unix:PATH and --gdb-tcp exclude each other");
        return -1;
    }
    mod_gdb_where.path = value;
    return 1;
}

int mod_gdb_listen_option(const char *arg)
{
    if (strcmp(arg, "--gdb") == 0)
        return 1;
    if (strncmp(arg, "--gdb=", 6) == 0)
        return mod_gdb_option_unix(arg + 6);
    if (strncmp(arg, "--gdb-tcp=", 10) == 0)
        return mod_gdb_option_tcp("--gdb-tcp", arg + 10);
    if (strncmp(arg, "--gdb-port=", 11) == 0)
        return mod_gdb_option_tcp("--gdb-port", arg + 11);
    return 0;
}

/* ---- cleaning up -------------------------------------------------------- */

/* Async-signal-safe: also called from mod_gdb_on_signal. */
static void mod_gdb_remove_files(void)
{
    if (mod_gdb_where.have_sock) {
        mod_gdb_where.have_sock = 0;
        unlink(mod_gdb_where.sock);
    }
    if (mod_gdb_where.have_dir) {
        mod_gdb_where.have_dir = 0;
        rmdir(mod_gdb_where.dir);
    }
}

/* SIGINT, SIGTERM or SIGHUP while waiting: the files go, then the signal
 * does what it did before (the core's handler, or the default action). */
static void mod_gdb_on_signal(int sig)
{
    mod_gdb_remove_files();
    for (size_t i = 0; i < MOD_GDB_NSIGS; i++) {
        if (mod_gdb_cleanup_sigs[i] != sig)
            continue;
        void (*h)(int) = mod_gdb_where.old[i].sa_handler;
        if (h != SIG_DFL && h != SIG_IGN) {
            h(sig);
            return;
        }
    }
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when this handler returns */
}

static void mod_gdb_catch_signals(void)
{
    struct sigaction sa = {.sa_handler = mod_gdb_on_signal};

    for (size_t i = 0; i < MOD_GDB_NSIGS; i++) {
        int sig = mod_gdb_cleanup_sigs[i];
        mod_gdb_where.caught[i] =
            sigaction(sig, NULL, &mod_gdb_where.old[i]) == 0 &&
            mod_gdb_where.old[i].sa_handler != SIG_IGN &&
            sigaction(sig, &sa, NULL) == 0;
    }
}

/* The files go and the handlers are put back with the signals held: one
 * that comes meanwhile finds both done, and never removes a file another
 * process has since created at the same path. */
static void mod_gdb_cleanup(void)
{
    sigset_t set, old;

    sigemptyset(&set);
    for (size_t i = 0; i < MOD_GDB_NSIGS; i++)
        sigaddset(&set, mod_gdb_cleanup_sigs[i]);
    sigprocmask(SIG_BLOCK, &set, &old);
    mod_gdb_remove_files();
    for (size_t i = 0; i < MOD_GDB_NSIGS; i++)
        if (mod_gdb_where.caught[i])
            sigaction(mod_gdb_cleanup_sigs[i], &mod_gdb_where.old[i], NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- listening ---------------------------------------------------------- */

/* $XDG_RUNTIME_DIR when it is a private directory of this user whose path
 * leaves room for ours and has no ':' (gdb reads HOST:PORT there), else
 * /tmp. The environment may be an orchestrator's: nothing else of it is
 * trusted. */
static const char *mod_gdb_runtime_dir(void)
{
    const char *x = getenv("XDG_RUNTIME_DIR");
    struct stat st;

    if (x && x[0] == '/' && !strchr(x, ':') &&
        strlen(x) + strlen(MOD_GDB_DIR_NAME) + strlen(MOD_GDB_SOCK_NAME) <=
            MOD_GDB_PATH_MAX &&
        lstat(x, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
        (st.st_mode & 077) == 0)
        return x;
    return "/tmp";
}

/* Fills mod_gdb_where.sock: PATH, or a socket in a new private directory. */
static int mod_gdb_socket_path(void)
{
    if (mod_gdb_where.path) {
        strcpy(mod_gdb_where.sock, mod_gdb_where.path);
        return 0;
    }
    snprintf(mod_gdb_where.dir, sizeof(mod_gdb_where.dir), "%s%s",
             mod_gdb_runtime_dir(), MOD_GDB_DIR_NAME);
    if (!mkdtemp(mod_gdb_where.dir)) {
        mon_warn("gdb: cannot create a directory %s: %s", mod_gdb_where.dir,
                 strerror(errno));
        return -1;
    }
    mod_gdb_where.have_dir = 1;
    snprintf(mod_gdb_where.sock, sizeof(mod_gdb_where.sock), "%s%s",
             mod_gdb_where.dir, MOD_GDB_SOCK_NAME);
    return 0;
}

static int mod_gdb_listen_unix(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (s < 0 || mod_gdb_socket_path() < 0) {
        if (s < 0)
            mon_warn("gdb: cannot make a socket: %s", strerror(errno));
        goto fail;
    }
    memcpy(a.sun_path, mod_gdb_where.sock, strlen(mod_gdb_where.sock));
    /* Created 0600 from the start: no moment when another user could
     * connect. */
    mode_t mask = umask(0177);
    int rc = bind(s, (struct sockaddr *)&a, sizeof(a));
    umask(mask);
    if (rc == 0)
        mod_gdb_where.have_sock = 1;
    if (rc < 0 || listen(s, 1) < 0) {
        mon_warn("gdb: cannot listen on %s: %s", mod_gdb_where.sock,
                 strerror(errno));
        goto fail;
    }
    mon_warn("gdb: waiting for a debugger on %s (in gdb: target remote %s)",
             mod_gdb_where.sock, mod_gdb_where.sock);
    return s;
fail:
    if (s >= 0)
        close(s);
    mod_gdb_cleanup();
    return -1;
}

/* A listening socket on 127.0.0.1:PORT; PORT 0 becomes the real port. */
static int mod_gdb_listen_tcp(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)mod_gdb_where.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    int one = 1;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (s < 0 ||
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0 ||
        getsockname(s, (struct sockaddr *)&a, &alen) < 0) {
        mon_warn("gdb: cannot listen on 127.0.0.1:%u: %s", mod_gdb_where.port,
                 strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    mod_gdb_where.port = ntohs(a.sin_port);
    mon_warn("gdb: waiting for a debugger on 127.0.0.1:%u (in gdb: target "
             "remote 127.0.0.1:%u)",
             mod_gdb_where.port, mod_gdb_where.port);
    return s;
}

/* ---- who connected ------------------------------------------------------ */

/* 1 when (uid) may debug this guest: the monitor's own user, or root. */
static int mod_gdb_uid_ok(unsigned uid)
{
    return uid == (unsigned)geteuid() || uid == 0;
}

static void mod_gdb_refuse_uid(unsigned uid)
{
    unsigned me = (unsigned)geteuid();

    if (me == 0)
        mon_warn("gdb: refused a debugger run by uid %u (only root may debug "
                 "this guest); still waiting",
                 uid);
    else
        mon_warn("gdb: refused a debugger run by uid %u (only uid %u or root "
                 "may debug this guest); still waiting",
                 uid, me);
}

static int mod_gdb_peer_ok_unix(int c)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        mon_warn("gdb: refused a debugger whose user cannot be told (%s); "
                 "still waiting",
                 strerror(errno));
        return 0;
    }
    if (!mod_gdb_uid_ok((unsigned)cred.uid)) {
        mod_gdb_refuse_uid((unsigned)cred.uid);
        return 0;
    }
    return 1;
}

/* /proc/net/tcp's form of an IPv4 endpoint: the address as the kernel
 * stores it (network order) printed as one number, then the port. */
static void mod_gdb_tcp_key(char *out, size_t size, const struct sockaddr_in *a)
{
    snprintf(out, size, "%08X:%04X", (unsigned)a->sin_addr.s_addr,
             (unsigned)ntohs(a->sin_port));
}

/* The uid owning the peer's end of connection (c): its line in
 * /proc/net/tcp has the peer as local address, this end as remote, and a
 * socket (inode) still open; a connection its owner already closed has
 * none, and a closed one shows uid 0. Returns 0 with *uid set, -1 when no
 * such line is there, -2 when the table cannot be read. */
static int mod_gdb_tcp_peer_uid(int c, const struct sockaddr_in *peer,
                                unsigned *uid)
{
    struct sockaddr_in self;
    socklen_t alen = sizeof(self);
    char want_local[16], want_remote[16], local[32], remote[32], line[256];
    unsigned u;
    unsigned long inode;
    int found = -1;

    if (getsockname(c, (struct sockaddr *)&self, &alen) < 0)
        return -2;
    mod_gdb_tcp_key(want_local, sizeof(want_local), peer);
    mod_gdb_tcp_key(want_remote, sizeof(want_remote), &self);
    FILE *f = fopen("/proc/net/tcp", "re");
    if (!f)
        return -2;
    while (found < 0 && fgets(line, sizeof(line), f))
        if (sscanf(line, " %*u: %31s %31s %*x %*x:%*x %*x:%*x %*x %u %*d %lu",
                   local, remote, &u, &inode) == 4 &&
            inode != 0 && strcmp(local, want_local) == 0 &&
            strcmp(remote, want_remote) == 0) {
            *uid = u;
            found = 0;
        }
    fclose(f);
    return found;
}

static int mod_gdb_peer_ok_tcp(int c)
{
    struct sockaddr_in peer;
    socklen_t alen = sizeof(peer);
    unsigned uid;

    if (getpeername(c, (struct sockaddr *)&peer, &alen) < 0)
        return 0; /* gone already */
    unsigned port = ntohs(peer.sin_port);
    switch (mod_gdb_tcp_peer_uid(c, &peer, &uid)) {
    case 0:
        if (mod_gdb_uid_ok(uid))
            return 1;
        mod_gdb_refuse_uid(uid);
        return 0;
    case -1:
        mon_warn("gdb: refused a debugger from 127.0.0.1:%u whose user cannot "
                 "be told (no open socket of it in /proc/net/tcp); still "
                 "waiting",
                 port);
        return 0;
    default:
        mon_warn("gdb: warning: cannot tell which user connected from "
                 "127.0.0.1:%u (/proc/net/tcp: %s); accepting it",
                 port, strerror(errno));
        return 1;
    }
}

/* ---- waiting ------------------------------------------------------------ */

int mod_gdb_accept(void)
{
    int c, s;

    if (!mod_gdb_where.tcp)
        mod_gdb_catch_signals();
    s = mod_gdb_where.tcp ? mod_gdb_listen_tcp() : mod_gdb_listen_unix();
    if (s < 0)
        return -1;
    for (;;) {
        c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0 && (errno == EINTR || errno == ECONNABORTED))
            continue;
        if (c < 0)
            break;
        if (mod_gdb_where.tcp ? mod_gdb_peer_ok_tcp(c)
                              : mod_gdb_peer_ok_unix(c))
            break;
        close(c);
    }
    if (c < 0)
        mon_warn("gdb: accept failed: %s", strerror(errno));
    close(s);
    mod_gdb_cleanup();
    if (c >= 0 && mod_gdb_where.tcp) {
        int one = 1; /* each packet at once: gdb waits for every reply */
        if (setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
            mon_warn("gdb: cannot set up the connection: %s", strerror(errno));
            close(c);
            return -1;
        }
    }
    return c;
}
