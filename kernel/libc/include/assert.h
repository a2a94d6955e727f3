/* assert.h: assert() for guest code (the guest's small libc). A failed
 * assertion prints Solo5's message and aborts the guest (status 255). */
#ifndef TG_LIBC_ASSERT_H
#define TG_LIBC_ASSERT_H

void tg_assert_fail(const char *expr, const char *file, int line)
    __attribute__((noreturn));

#ifdef __FILE_NAME__
#define TG_ASSERT_FILE __FILE_NAME__
#else
#define TG_ASSERT_FILE __FILE__
#endif

#endif /* TG_LIBC_ASSERT_H */

/* Outside the guard: NDEBUG may change between inclusions. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : tg_assert_fail(#e, TG_ASSERT_FILE, __LINE__))
#endif
