/* greeting.h: shows that add_unikernel(INCLUDE_DIRECTORIES) reaches the
 * application's sources. */
#define GREETING "greetings from outside the tree"
