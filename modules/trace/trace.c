/* trace.c: the trace module, a measuring aid a monitor carries only when
 * asked for (`tender-gen --with trace`, or `modules: [trace]` in the
 * manifest). It notes the time (CLOCK_MONOTONIC) at which each step of the
 * monitor's start ends, the guest's first exit and its halt, and prints
 * them on stderr once the guest halted, one line each:
 *
 *     tender-trace: STEP NANOSECONDS
 *
 * followed by the counters other modules publish (mon_counter(), the net
 * ring's):
 *
 *     tender-stat: NAME VALUE
 *
 * Nothing is printed until the guest halts, so that printing does not
 * slow what is measured. bench/run and bench/ab read these lines. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/monitor.h"

/* Every step, and the first exit. */
#define MOD_TRACE_MAX 16

static struct {
    struct {
        const char *name;
        struct timespec at;
    } notes[MOD_TRACE_MAX];
    unsigned nnotes;
    unsigned runs; /* KVM_RUNs begun */
} mod_trace_st;

static void mod_trace_note(const char *name)
{
    if (mod_trace_st.nnotes < MOD_TRACE_MAX) {
        clock_gettime(CLOCK_MONOTONIC,
                      &mod_trace_st.notes[mod_trace_st.nnotes].at);
        mod_trace_st.notes[mod_trace_st.nnotes++].name = name;
    }
}

/* One write(2) a line, as the core's messages: no stdio lock. */
static void mod_trace_line(const char *line, int n)
{
    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0)
        return; /* stderr is gone: nothing to report to */
}

static void mod_trace_print(const struct mon *m)
{
    char line[128];

    for (unsigned i = 0; i < mod_trace_st.nnotes; i++)
        mod_trace_line(
            line, snprintf(line, sizeof(line), "tender-trace: %s %lld%09ld\n",
                           mod_trace_st.notes[i].name,
                           (long long)mod_trace_st.notes[i].at.tv_sec,
                           mod_trace_st.notes[i].at.tv_nsec));
    for (unsigned i = 0; i < m->ncounters; i++)
        mod_trace_line(line,
                       snprintf(line, sizeof(line), "tender-stat: %s %llu\n",
                                m->counters[i].name,
                                (unsigned long long)*m->counters[i].value));
}

static void mod_trace_step(struct mon *m, const char *done)
{
    mod_trace_note(done);
    if (strcmp(done, "halt") == 0)
        mod_trace_print(m);
}

/* The first KVM_RUN follows the sandbox step; the second one begins once
 * the guest's first exit has been handled. */
static void mod_trace_before_run(struct mon *m)
{
    (void)m;
    if (++mod_trace_st.runs == 2)
        mod_trace_note("first-exit");
}

static const struct mon_module mod_trace = {
    .name = "trace",
    .before_run = mod_trace_before_run,
    .step = mod_trace_step,
};
