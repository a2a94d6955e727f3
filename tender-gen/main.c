/* main.c: tender-gen's command line (docs/design.md decision 7): read an input,
 * validate it into a device set, then write what was asked for; or, in batch
 * mode, one monitor per input; or verify a monitor. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "buf.h"
#include "cache_admin.h"
#include "datadir.h"
#include "derived.h"
#include "diag.h"
#include "dropin.h"
#include "emit_monitor.h"
#include "emit_note.h"
#include "exec.h"
#include "explain.h"
#include "input.h"
#include "memsize.h"
#include "outfile.h"
#include "print_json.h"
#include "registry.h"
#include "shape.h"
#include "suggest.h"
#include "verify.h"

#define EXIT_BAD_INPUT 1
#define EXIT_USAGE 2

struct options {
    int check, print, explain, json, help, syscall_table, fds_header;
    const char *emit_note, *emit_c, *output, *depfile, *with, *memory;
    const char *out_dir, *cache, *verify, *dropin, *monitors, *datadir;
    int target;          /* --target, or -1 */
    char *const *inputs; /* the operands */
    unsigned ninputs;
    const char *input; /* the one INPUT outside batch mode */

    int list, verify_all, prune; /* cache commands (cache_admin.h) */
    long prune_days;             /* --prune=DAYS, or -1 */
};

/* The opt-in modules --with takes, from the descriptors; nothing when
 * there is no data directory to read them from. */
static void usage_modules(FILE *f)
{
    if (!tg_datadir_found())
        return;
    const struct tg_registry *reg = tg_registry();
    fputs("Opt-in modules (--with, or the manifest's modules:):\n", f);
    for (unsigned i = 0; i < reg->nmodules; i++)
        if (reg->modules[i].need == TG_NEED_OPT_IN)
            fprintf(f, "  %-18s %s\n", reg->modules[i].name,
                    reg->modules[i].summary);
}

static void usage(FILE *f)
{
    fputs(
        "usage: tender-gen [OPTIONS] INPUT\n"
        "       tender-gen --out-dir DIR [--cache DIR] [--json] INPUT...\n"
        "       tender-gen --verify MONITOR [INPUT]\n"
        "       tender-gen --drop-in FILE [--monitors DIR] INPUT...\n"
        "       tender-gen --cache DIR --list [--json] | --verify-all |\n"
        "                  --prune[=DAYS]\n"
        "INPUT is a device manifest (YAML, or Solo5's manifest.json) or a\n"
        "unikernel ELF; the kind is told from the content.\n"
        "  --check            validate INPUT, write nothing\n"
        "  --print            print the device set and shape as JSON\n"
        "  --emit-note FILE   write the guest's manifest notes as C\n"
        "  --emit-c FILE      write the monitor's C source\n"
        "  -o FILE            compile the monitor (default when no other\n"
        "                     output is asked for: NAME-tender)\n"
        "  --depfile FILE     write make-style dependencies of the output\n"
        "  --explain [--json] report what the monitor holds\n"
        "  --out-dir DIR      batch mode: DIR/NAME-tender for each INPUT,\n"
        "                     reported as built or reused (--json: as JSON)\n"
        "  --cache DIR        take monitors from, and add them to, the\n"
        "                     content-addressed cache DIR\n"
        "  --list [--json]    with --cache: list its entries (key, shape,\n"
        "                     digest, size, last use)\n"
        "  --verify-all       with --cache: rebuild every entry from its\n"
        "                     provenance and compare (exit 1: one differs)\n"
        "  --prune[=DAYS]     with --cache: remove the entries not used for\n"
        "                     more than DAYS days; without DAYS, those this\n"
        "                     tender-gen can no longer hand out\n"
        "  --verify MONITOR   rebuild MONITOR from the provenance it carries\n"
        "                     and say whether it matches (with INPUT: and\n"
        "                     whether it is INPUT's monitor)\n"
        "  --drop-in FILE     build FILE, the drop-in for orchestrators\n"
        "                     (installed as solo5-hvt): one static program\n"
        "                     with a monitor for each shape of the INPUTs\n"
        "                     (with --emit-c: and its dispatcher's source)\n"
        "  --monitors DIR     with --drop-in: write the monitors to DIR and\n"
        "                     have the drop-in run them from there, each\n"
        "                     only while its content has the digest it had\n"
        "                     (albatross and local use; not for urunc)\n"
        "  --target hvt|spt   the monitor kind: hvt (KVM, the default) or\n"
        "                     spt (a process under a seccomp filter); an\n"
        "                     ELF INPUT's ABI note decides, and --target\n"
        "                     must agree with it\n"
        "  --with MODULE,...  add opt-in modules\n"
        "  --memory SIZE      default guest memory (e.g. 64M), instead of\n"
        "                     the manifest's memory:\n"
        "  --datadir DIR      take templates/ and modules/ from DIR\n"
        "  --syscall-table    print the system-call table of every module\n"
        "                     (docs/security.md holds it)\n"
        "  --fds-header       print include/tender_fds.h, from the modules'\n"
        "                     descriptors\n"
        "  --help, --version\n"
        "Every output is a new file of ours. A directory written to (DIR,\n"
        "the cache, that of an output file) is refused when another user\n"
        "owns it or others may write it without the sticky bit (exit 1).\n"
        "Exit status: 0 success, 1 bad input, 2 bad usage.\n",
        f);
    usage_modules(f);
}

static _Noreturn void usage_error(const char *msg)
{
    fprintf(stderr, "tender-gen: %s\n", msg);
    fputs("Try 'tender-gen --help'.\n", stderr);
    exit(EXIT_USAGE);
}

/* True when an option of the single-INPUT mode was given. */
static int single_mode_options(const struct options *o)
{
    return o->check || o->print || o->emit_note || o->emit_c || o->output ||
           o->explain || o->depfile || o->memory || o->target >= 0;
}

/* The cache commands take the cache, --datadir (the sources entries are
 * rebuilt from), and --json with --list. */
static void check_cache_commands(const struct options *o)
{
    if (o->list + o->verify_all + o->prune > 1)
        usage_error("--list, --verify-all and --prune: one at a time");
    if (!o->cache)
        usage_error("--list, --verify-all and --prune need --cache DIR");
    if (single_mode_options(o) || o->out_dir || o->verify || o->with ||
        o->dropin || o->monitors || o->syscall_table || o->fds_header ||
        o->ninputs || (o->json && !o->list))
        usage_error("--list, --verify-all and --prune take only --cache DIR, "
                    "--datadir, and --json with --list");
}

static void check_combination(const struct options *o)
{
    if (o->list || o->verify_all || o->prune) {
        check_cache_commands(o);
        return;
    }
    if (o->syscall_table || o->fds_header) {
        /* --syscall-table may name the target whose table it prints. */
        struct options rest = *o;
        if (o->syscall_table)
            rest.target = -1;
        if (single_mode_options(&rest) || o->out_dir || o->cache || o->json ||
            o->verify || o->with || o->dropin || o->ninputs ||
            (o->syscall_table && o->fds_header))
            usage_error("--syscall-table and --fds-header take only "
                        "--datadir");
        return;
    }
    if (o->dropin) {
        if (o->check || o->print || o->emit_note || o->output || o->explain ||
            o->depfile || o->memory || o->out_dir || o->cache || o->json ||
            o->verify || o->with)
            usage_error("--drop-in FILE takes only INPUTs, --emit-c, "
                        "--monitors and --datadir");
        if (o->ninputs == 0)
            usage_error("--drop-in FILE needs at least one INPUT");
        return;
    }
    if (o->monitors)
        usage_error("--monitors DIR goes with --drop-in FILE");
    if (o->verify) {
        if (single_mode_options(o) || o->out_dir || o->cache || o->json)
            usage_error("--verify takes only --with and an optional INPUT");
        if (o->ninputs > 1)
            usage_error("--verify MONITOR takes at most one INPUT");
        return;
    }
    if (o->ninputs == 0)
        usage_error("no INPUT given");
    if (o->out_dir) {
        if (single_mode_options(o))
            usage_error("batch mode (--out-dir) takes only --cache, --json "
                        "and --with");
        return;
    }
    if (o->ninputs > 1)
        usage_error("one INPUT at a time, or --out-dir DIR for batch mode");
    if (o->check && (o->print || o->emit_note || o->emit_c || o->output ||
                     o->explain || o->depfile || o->cache))
        usage_error("--check writes nothing; it takes no output option");
    if (o->json && !o->explain)
        usage_error("--json goes with --explain or --out-dir");
    if (o->cache && (o->print || o->emit_note || o->emit_c || o->explain) &&
        !o->output)
        usage_error("--cache needs a compiled monitor: add -o FILE");
}

/* --prune=DAYS: a whole number of days, 0 to 36500. */
static long parse_days(const char *s)
{
    char *end;
    long days = strtol(s, &end, 10);

    if (*s < '0' || *s > '9' || *end || days > 36500) {
        fprintf(stderr,
                "tender-gen: --prune=%s: DAYS is a whole number of days, "
                "0 to 36500 (e.g. --prune=30)\n",
                s);
        exit(EXIT_USAGE);
    }
    return days;
}

/* The long option (arg) (up to '=') abbreviates, or NULL; *matches counts
 * the options it could abbreviate. */
static const struct option *option_named(const char *arg, size_t len,
                                         const struct option *opts,
                                         unsigned *matches)
{
    const struct option *found = NULL;

    *matches = 0;
    for (; opts->name; opts++) {
        if (strncmp(opts->name, arg, len) != 0)
            continue;
        if (strlen(opts->name) == len) {
            *matches = 1;
            return opts;
        }
        found = opts;
        ++*matches;
    }
    return found;
}

/* An option getopt_long refused: unknown (with the nearest known one),
 * ambiguous, missing its value, or given one it does not take. */
static _Noreturn void bad_option(const char *arg, const struct option *opts)
{
    const char *names[64];
    char msg[256];
    size_t n = 0;
    int len = (int)strcspn(arg, "=");
    unsigned matches;

    if (strncmp(arg, "--", 2) != 0 || len == 2) {
        snprintf(msg, sizeof(msg), "unknown option '%s'", arg);
        usage_error(msg);
    }
    const struct option *opt =
        option_named(arg + 2, (size_t)len - 2, opts, &matches);
    if (matches > 1)
        snprintf(msg, sizeof(msg), "option '%.*s' is ambiguous", len, arg);
    else if (opt)
        snprintf(msg, sizeof(msg), "option '--%s' %s", opt->name,
                 opt->has_arg ? "needs a value" : "takes no value");
    if (opt)
        usage_error(msg);
    for (; opts[n].name && n < sizeof(names) / sizeof(names[0]); n++)
        names[n] = opts[n].name;
    const char *near = tg_suggest(arg + 2, (size_t)len - 2, names, n);
    snprintf(msg, sizeof(msg), "unknown option '%.*s'%s%s%s", len, arg,
             near ? "; did you mean '--" : "", near ? near : "",
             near ? "'?" : "");
    usage_error(msg);
}

static void parse_args(int argc, char **argv, struct options *o)
{
    enum {
        O_CHECK = 256,
        O_PRINT,
        O_NOTE,
        O_EMITC,
        O_DEP,
        O_EXPLAIN,
        O_JSON,
        O_WITH,
        O_MEMORY,
        O_OUTDIR,
        O_CACHE,
        O_VERIFY,
        O_DROPIN,
        O_MONITORS,
        O_DATADIR,
        O_HELP,
        O_VERSION,
        O_SYSCALL_TABLE,
        O_FDS_HEADER,
        O_TARGET,
        O_LIST,
        O_VERIFY_ALL,
        O_PRUNE
    };
    static const struct option longopts[] = {
        {"check", no_argument, NULL, O_CHECK},
        {"print", no_argument, NULL, O_PRINT},
        {"emit-note", required_argument, NULL, O_NOTE},
        {"emit-c", required_argument, NULL, O_EMITC},
        {"depfile", required_argument, NULL, O_DEP},
        {"explain", no_argument, NULL, O_EXPLAIN},
        {"json", no_argument, NULL, O_JSON},
        {"with", required_argument, NULL, O_WITH},
        {"memory", required_argument, NULL, O_MEMORY},
        {"out-dir", required_argument, NULL, O_OUTDIR},
        {"cache", required_argument, NULL, O_CACHE},
        {"verify", required_argument, NULL, O_VERIFY},
        {"drop-in", required_argument, NULL, O_DROPIN},
        {"monitors", required_argument, NULL, O_MONITORS},
        {"datadir", required_argument, NULL, O_DATADIR},
        {"help", no_argument, NULL, O_HELP},
        {"syscall-table", no_argument, NULL, O_SYSCALL_TABLE},
        {"fds-header", no_argument, NULL, O_FDS_HEADER},
        {"version", no_argument, NULL, O_VERSION},
        {"target", required_argument, NULL, O_TARGET},
        {"list", no_argument, NULL, O_LIST},
        {"verify-all", no_argument, NULL, O_VERIFY_ALL},
        {"prune", optional_argument, NULL, O_PRUNE},
        {NULL, 0, NULL, 0}};
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        switch (c) {
        case O_CHECK:
            o->check = 1;
            break;
        case O_PRINT:
            o->print = 1;
            break;
        case O_NOTE:
            o->emit_note = optarg;
            break;
        case O_EMITC:
            o->emit_c = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case O_DEP:
            o->depfile = optarg;
            break;
        case O_EXPLAIN:
            o->explain = 1;
            break;
        case O_JSON:
            o->json = 1;
            break;
        case O_WITH:
            o->with = optarg;
            break;
        case O_MEMORY:
            o->memory = optarg;
            break;
        case O_OUTDIR:
            o->out_dir = optarg;
            break;
        case O_CACHE:
            o->cache = optarg;
            break;
        case O_VERIFY:
            o->verify = optarg;
            break;
        case O_DROPIN:
            o->dropin = optarg;
            break;
        case O_MONITORS:
            o->monitors = optarg;
            break;
        case O_DATADIR:
            o->datadir = optarg;
            break;
        case O_HELP:
            o->help = 1;
            break;
        case O_SYSCALL_TABLE:
            o->syscall_table = 1;
            break;
        case O_FDS_HEADER:
            o->fds_header = 1;
            break;
        case O_TARGET:
            o->target = tg_target_named(optarg);
            if (o->target < 0) {
                fprintf(stderr,
                        "tender-gen: unknown target '%s' (known: hvt, spt)\n",
                        optarg);
                exit(EXIT_USAGE);
            }
            break;
        case O_VERSION:
            printf("tender-gen %s\n", TG_VERSION);
            exit(0);
        case O_LIST:
            o->list = 1;
            break;
        case O_VERIFY_ALL:
            o->verify_all = 1;
            break;
        case O_PRUNE:
            o->prune = 1;
            o->prune_days = optarg ? parse_days(optarg) : -1;
            break;
        default:
            bad_option(argv[optind - 1], longopts);
        }
    }
    o->inputs = argv + optind;
    o->ninputs = (unsigned)(argc - optind);
    o->input = o->ninputs ? argv[optind] : NULL;
    if (o->datadir)
        tg_set_datadir(o->datadir);
    if (o->help) {
        usage(stdout);
        exit(0);
    }
    check_combination(o);
}

/* --with gdb,dumpcore: the opt-in modules' TGN1 note bits. */
static uint32_t parse_with(const char *list)
{
    char buf[256];
    uint32_t bits = 0;

    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save, *m = strtok_r(buf, ",", &save); m;
         m = strtok_r(NULL, ",", &save)) {
        const struct tg_module *mod = tg_module_named(m, strlen(m));
        if (mod && mod->need == TG_NEED_OPT_IN)
            bits |= mod->opt_in;
        else {
            const char *near = tg_opt_in_near(m, strlen(m));
            fprintf(stderr,
                    "tender-gen: unknown module '%s' in --with%s%s%s "
                    "(known: %s)\n",
                    m, near ? "; did you mean '" : "", near ? near : "",
                    near ? "'?" : "", tg_opt_in_list());
            exit(EXIT_USAGE);
        }
    }
    return bits;
}

/* --target NAME: a YAML manifest takes it; an ELF's ABI1 note has already
 * decided, and --target may only confirm it. */
static int apply_target(const struct options *o, struct tg_devset *set)
{
    if (o->target < 0)
        return 0;
    if (set->target_from_note && set->target != (unsigned)o->target) {
        fprintf(stderr,
                "tender-gen: %s: --target %s, but the unikernel's ABI1 note "
                "says %s\n",
                o->input, tg_target_name((unsigned)o->target),
                tg_target_name(set->target));
        return -1;
    }
    set->target = (unsigned)o->target;
    return 0;
}

/* --memory SIZE: the guest's default memory, by the manifest's rule. */
static void apply_memory(const char *size, struct tg_devset *set)
{
    char why[96];
    const char *problem = NULL;
    uint64_t bytes;

    if (tg_parse_size(size, strlen(size), &bytes) < 0)
        problem = "is not a size (expected a positive integer followed by "
                  "K, M or G, e.g. 64M)";
    else
        problem = tg_mem_problem(bytes, why, sizeof(why));
    if (problem) {
        fprintf(stderr, "tender-gen: --memory %s %s\n", size, problem);
        exit(EXIT_USAGE);
    }
    set->mem_size = bytes;
}

static int write_depfile(const struct options *o, const char *target,
                         const struct tg_deps *deps)
{
    struct tg_buf b = {0};

    tg_buf_printf(&b, "%s: %s", target, o->input);
    for (unsigned i = 0; i < deps->n; i++)
        tg_buf_printf(&b, " \\\n  %s", deps->paths[i]);
    tg_buf_puts(&b, "\n");
    int rc = tg_write_file(o->depfile, b.data, b.len, 0644 | TG_OUT_USER);
    tg_buf_free(&b);
    return rc;
}

static int emit_note(const char *path, const struct tg_devset *set)
{
    struct tg_buf b = {0};

    tg_emit_note(set, &b);
    int rc = tg_write_file(path, b.data, b.len, 0644 | TG_OUT_USER);
    tg_buf_free(&b);
    return rc;
}

/* Every directory this run will write to, checked before anything is
 * written (outfile.h): a refused one leaves every output untouched. */
static int check_out_dirs(const struct options *o)
{
    const char *files[] = {o->emit_note, o->emit_c, o->output, o->depfile};

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (files[i] && tg_check_out_path(files[i]) < 0)
            return -1;
    return o->cache ? tg_check_dir(o->cache, 1) : 0;
}

/* Generates monitor.c and writes or compiles it as asked. */
static int build_monitor(const struct options *o, const struct tg_devset *set)
{
    struct tg_shape shape;
    struct tg_monitor_src src = {0};
    struct tg_deps deps = {0};
    int rc;

    tg_shape_from_devset(set, &shape);
    rc = tg_emit_monitor(tg_datadir(), &shape, &src, &deps);
    if (rc == 0 && o->emit_c)
        rc = tg_write_file(o->emit_c, src.text.data, src.text.len,
                           0644 | TG_OUT_USER);
    if (rc == 0 && o->output) {
        char key[65];
        rc = tg_make_monitor(o->cache, &src, o->output, key) < 0 ? -1 : 0;
    }
    if (rc == 0 && o->depfile)
        rc = write_depfile(o,
                           o->output   ? o->output
                           : o->emit_c ? o->emit_c
                                       : o->emit_note,
                           &deps);
    if (rc == 0 && o->explain)
        tg_explain(stdout, &shape, &src, o->output, o->json);
    tg_buf_free(&src.text);
    tg_deps_free(&deps);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o = {.target = -1};
    static struct tg_devset set;
    static char default_out[TG_NAME_MAX + 16];

    if (argc > 0 && tg_exec_invoked_as(argv[0]))
        return tg_exec_main(argc, argv);
    parse_args(argc, argv, &o);
    if (o.list)
        return tg_cache_list(o.cache, o.json);
    if (o.verify_all)
        return tg_cache_verify_all(o.cache);
    if (o.prune)
        return tg_cache_prune(o.cache, o.prune_days);
    if (o.syscall_table || o.fds_header) {
        struct tg_buf b = {0};
        if (o.target >= 0)
            tg_registry_use((unsigned)o.target);
        if (o.syscall_table)
            tg_emit_syscall_table(&b);
        else
            tg_emit_fds_header(&b);
        fwrite(b.data, 1, b.len, stdout);
        tg_buf_free(&b);
        return 0;
    }
    if (o.dropin)
        return tg_dropin(o.dropin, o.emit_c, o.monitors, o.inputs, o.ninputs);
    uint32_t with = o.with ? parse_with(o.with) : 0;
    if (o.verify)
        return tg_verify(o.verify, o.input, with);
    if (o.out_dir) {
        struct tg_batch_opts b = {o.out_dir, o.cache, o.json, with};
        return tg_batch(&b, o.inputs, o.ninputs);
    }
    if (tg_load_input(o.input, &set) != 0)
        return EXIT_BAD_INPUT;
    set.modules |= with;
    if (apply_target(&o, &set) < 0)
        return EXIT_BAD_INPUT;
    if (o.memory)
        apply_memory(o.memory, &set);
    if (o.check)
        return 0;
    if (!o.print && !o.emit_note && !o.emit_c && !o.output && !o.explain) {
        snprintf(default_out, sizeof(default_out), "%s-%stender", set.name,
                 set.target == TG_TARGET_SPT ? "spt-" : "");
        o.output = default_out;
    }
    if (check_out_dirs(&o) < 0)
        return EXIT_BAD_INPUT;
    if (o.print)
        tg_print_json(stdout, &set);
    if (o.emit_note && emit_note(o.emit_note, &set) < 0)
        return EXIT_BAD_INPUT;
    if ((o.emit_c || o.output || o.explain) && build_monitor(&o, &set) < 0)
        return EXIT_BAD_INPUT;
    if (o.depfile && !o.emit_c && !o.output && o.emit_note) {
        struct tg_deps none = {0};
        return write_depfile(&o, o.emit_note, &none) < 0 ? EXIT_BAD_INPUT : 0;
    }
    return 0;
}
