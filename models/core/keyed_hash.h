/* SipHash-2-4 (J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed
 * 64-bit hash. It is defined on bytes, with little-endian words, so it gives the same value on every
 * machine; RFC 6056 s3.3.3 and s3.3.4 ask for such a keyed hash (F and G) of the connection's
 * addresses and port. */
#ifndef FTPSIM_KEYED_HASH_H
#define FTPSIM_KEYED_HASH_H

#include <glib.h>

G_BEGIN_DECLS

/* The 128-bit key is (k0, k1): k0 holds key bytes 0..7 and k1 bytes 8..15, little-endian. */
guint64 siphash24(guint64 k0, guint64 k1, const guint8 *data, gsize length);

G_END_DECLS

#endif
