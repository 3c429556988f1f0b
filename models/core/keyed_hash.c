#include "keyed_hash.h"

#define ROTL64(x, b) (guint64)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                                                                       \
  do {                                                                                                                 \
    v0 += v1;                                                                                                          \
    v1 = ROTL64(v1, 13);                                                                                               \
    v1 ^= v0;                                                                                                          \
    v0 = ROTL64(v0, 32);                                                                                               \
    v2 += v3;                                                                                                          \
    v3 = ROTL64(v3, 16);                                                                                               \
    v3 ^= v2;                                                                                                          \
    v0 += v3;                                                                                                          \
    v3 = ROTL64(v3, 21);                                                                                               \
    v3 ^= v0;                                                                                                          \
    v2 += v1;                                                                                                          \
    v1 = ROTL64(v1, 17);                                                                                               \
    v1 ^= v2;                                                                                                          \
    v2 = ROTL64(v2, 32);                                                                                               \
  } while (0)

static guint64 load_le64(const guint8 *bytes)
{
  guint64 word = 0;
  for (int i = 7; i >= 0; i--)
    word = (word << 8) | bytes[i];
  return word;
}

guint64 siphash24(guint64 k0, guint64 k1, const guint8 *data, gsize length)
{
  /* The initial state is "somepseudorandomlygeneratedbytes" xored with the key (paper, s2). */
  guint64 v0 = G_GUINT64_CONSTANT(0x736f6d6570736575) ^ k0;
  guint64 v1 = G_GUINT64_CONSTANT(0x646f72616e646f6d) ^ k1;
  guint64 v2 = G_GUINT64_CONSTANT(0x6c7967656e657261) ^ k0;
  guint64 v3 = G_GUINT64_CONSTANT(0x7465646279746573) ^ k1;

  const gsize whole = length - length % 8;
  for (gsize i = 0; i < whole; i += 8) {
    guint64 m = load_le64(data + i);
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
  }
  /* Last block: the remaining bytes, with the message length in the top byte. */
  guint64 last = (guint64)(length & 0xff) << 56;
  for (gsize i = whole; i < length; i++)
    last |= (guint64)data[i] << (8 * (i - whole));
  v3 ^= last;
  SIPROUND;
  SIPROUND;
  v0 ^= last;

  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}
