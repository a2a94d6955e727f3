/* main.c: blkstore, a small persistent key-value store on the block device
 * "storage". Commands come from the command line and run in order; the
 * first that fails ends the run with its status:
 *
 *   format [force]   make an empty store (first command only; "force"
 *                    overwrites an image that holds something else)
 *   put KEY VALUE    store VALUE under KEY (one word each; keys up to 64
 *                    bytes, a record fits in one block)
 *   get KEY          print "get: KEY=VALUE"
 *   delete KEY       remove KEY
 *   list             print "list: KEY=VALUE" for every record
 *   scrub            drop damaged records (first command only)
 *
 * Exit status: 0 done, 1 usage, 2 key not found, 3 image refused (not a
 * store, damaged, foreign), 4 I/O error, 5 store full. */
#include <stdio.h>
#include <string.h>

#include "solo5.h"
#include "store.h"

#define DEVICE "storage"
#define MAX_WORDS 256

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_NOT_FOUND = 2,
    EXIT_REFUSED = 3,
    EXIT_IO = 4,
    EXIT_FULL = 5,
};

static char line[8192];
static char value[STORE_MAX_BLOCK];

static int status_of(enum store_result r)
{
    switch (r) {
    case STORE_OK:
        return EXIT_OK;
    case STORE_NOT_FOUND:
        return EXIT_NOT_FOUND;
    case STORE_REFUSED:
    case STORE_DAMAGED:
        return EXIT_REFUSED;
    case STORE_IO:
        return EXIT_IO;
    case STORE_FULL:
        return EXIT_FULL;
    case STORE_BAD_ARG:
        return EXIT_USAGE;
    }
    return EXIT_USAGE;
}

/* Splits (s) in place at spaces; returns the number of words. */
static int split(char *s, char **words)
{
    int n = 0;

    while (*s && n < MAX_WORDS) {
        while (*s == ' ')
            *s++ = 0;
        if (*s)
            words[n++] = s;
        while (*s && *s != ' ')
            s++;
    }
    return n;
}

static void print_record(const char *key, const char *val, unsigned len)
{
    printf("list: %s=%.*s\n", key, (int)len, val);
}

static int usage(const char *why)
{
    printf("blkstore: %s\nusage: blkstore [format [force]] "
           "[put KEY VALUE | get KEY | delete KEY | list | scrub]...\n",
           why);
    return EXIT_USAGE;
}

/* Runs the command at words[*i], advancing *i past its arguments. */
static enum store_result run(char **words, int n, int *i)
{
    const char *cmd = words[(*i)++];
    int args = strcmp(cmd, "put") == 0                                 ? 2
               : strcmp(cmd, "get") == 0 || strcmp(cmd, "delete") == 0 ? 1
                                                                       : 0;
    if (*i + args > n)
        return STORE_BAD_ARG;
    char **a = words + *i;
    *i += args;
    if (strcmp(cmd, "put") == 0) {
        enum store_result r = store_put(a[0], a[1]);
        if (r == STORE_BAD_ARG)
            printf("blkstore: put %s: key or value too long\n", a[0]);
        return r;
    }
    if (strcmp(cmd, "get") == 0) {
        unsigned len;
        enum store_result r = store_get(a[0], value, &len);
        if (r == STORE_OK)
            printf("get: %s=%.*s\n", a[0], (int)len, value);
        else if (r == STORE_NOT_FOUND)
            printf("blkstore: get %s: not found\n", a[0]);
        return r;
    }
    if (strcmp(cmd, "delete") == 0) {
        enum store_result r = store_delete(a[0]);
        if (r == STORE_OK)
            printf("blkstore: deleted %s\n", a[0]);
        else if (r == STORE_NOT_FOUND)
            printf("blkstore: delete %s: not found\n", a[0]);
        return r;
    }
    if (strcmp(cmd, "list") == 0)
        return store_list(print_record);
    printf("blkstore: unknown command '%s'\n", cmd);
    return STORE_BAD_ARG;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    char *words[MAX_WORDS];
    int i = 0, n;
    enum store_result r;

    size_t len = strnlen(si->cmdline, sizeof(line) - 1);
    memcpy(line, si->cmdline, len);
    line[len] = 0;
    n = split(line, words);
    if (n == 0)
        return usage("no command");
    if (strcmp(words[0], "format") == 0) {
        int force = n > 1 && strcmp(words[1], "force") == 0;
        i = 1 + force;
        r = store_open(DEVICE, 0);
        if (r == STORE_OK)
            r = store_format(force);
    } else if (strcmp(words[0], "scrub") == 0) {
        i = 1;
        r = store_open(DEVICE, 1);
        if (r == STORE_OK || r == STORE_DAMAGED)
            r = store_scrub();
    } else {
        r = store_open(DEVICE, 1);
    }
    while (r == STORE_OK && i < n) {
        if (strcmp(words[i], "format") == 0 || strcmp(words[i], "scrub") == 0)
            return usage("format and scrub must come first");
        r = run(words, n, &i);
    }
    if (r == STORE_BAD_ARG && i <= n)
        return usage("bad command line");
    return status_of(r);
}
