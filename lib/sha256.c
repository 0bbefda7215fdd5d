/* SHA-256 (FIPS 180-4), for the profile and program hashes in compiled
 * filter files and cache keys. Small and self-contained: the static
 * binary links no crypto library. On x86_64 with the SHA extensions (as
 * glibc found them at start-up: no cpuid of our own, which a hypervisor
 * traps) blocks go through them, about twenty times faster: a cached run
 * of Docker's profile hashes some 20 KiB. A unit test holds both ways to
 * the same digests. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <immintrin.h>
#include <sys/platform/x86.h>
#define HAVE_SHA_NI 1
#endif
#endif

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void blocks_generic(uint32_t h[8], const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		block(h, p + 64 * i);
}

#ifdef HAVE_SHA_NI
/* Unrolled, w[] lives in registers: three times faster. */
#if defined(__clang__)
#define UNROLL_16 _Pragma("unroll 16")
#else
#define UNROLL_16 _Pragma("GCC unroll 16")
#endif

/* The same compression with SHA-NI. The state is kept as ABEF and CDGH;
 * each sha256rnds2 does two rounds, swapping which register holds ABEF;
 * w[g % 4] holds message words 4g..4g+3. */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_ni(uint32_t h[8], const uint8_t *p,
								    size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xb1); /* CDAB */
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1b); /* EFGH */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8); /* ABEF */

	s1 = _mm_blend_epi16(s1, t, 0xf0); /* CDGH */
	for (; n > 0; n--, p += 64) {
		__m128i save0 = s0, save1 = s1, w[4];

		for (int g = 0; g < 4; g++)
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
		UNROLL_16
		for (int g = 0; g < 16; g++) {
			__m128i msg = _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&k[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0e));
			if (g < 12) {
				/* Words 4(g+4).. from 4g.. (W[t-16], W[t-15]),
				 * 4(g+2)+1.. (W[t-7]) and 4(g+3).. (W[t-2]). */
				__m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
				x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
				w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
			}
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1b); /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xb1); /* DCHG */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, s1, 0xf0)); /* DCBA */
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, t, 8)); /* HGFE */
}

static bool have_sha_ni(void)
{
	return CPU_FEATURE_ACTIVE(SHA) && CPU_FEATURE_ACTIVE(SSE4_1) && CPU_FEATURE_ACTIVE(SSSE3);
}
#endif

static void hash(const void *data, size_t len, uint8_t out[32],
		 void (*blocks)(uint32_t *, const uint8_t *, size_t))
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const uint8_t *p = data;
	uint8_t tail[128] = { 0 };
	size_t full = len / 64 * 64, rest = len - full, n_tail;

	blocks(h, p, full / 64);
	memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	n_tail = rest + 9 > 64 ? 128 : 64;
	for (int i = 0; i < 8; i++)
		tail[n_tail - 1 - i] = (uint8_t)((uint64_t)len * 8 >> (8 * i));
	blocks(h, tail, n_tail / 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

bool shim_sha256_accelerated(void)
{
#ifdef HAVE_SHA_NI
	return have_sha_ni();
#else
	return false;
#endif
}

void shim_sha256_generic(const void *data, size_t len, uint8_t out[32])
{
	hash(data, len, out, blocks_generic);
}

void shim_sha256(const void *data, size_t len, uint8_t out[32])
{
#ifdef HAVE_SHA_NI
	if (have_sha_ni()) {
		hash(data, len, out, blocks_ni);
		return;
	}
#endif
	hash(data, len, out, blocks_generic);
}
