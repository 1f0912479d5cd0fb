/* disclosure.c: see disclosure.h. */
#include "core/disclosure.h"

#include <stdatomic.h>

static atomic_int threshold = 10;

int disclosure_threshold(void)
{
	return atomic_load(&threshold);
}

void disclosure_set_threshold(int below)
{
	atomic_store(&threshold, below < 2 ? 2 : below);
}

struct disclosed disclosure_count(int64_t n)
{
	struct disclosed d = {0};
	if (n < disclosure_threshold()) {
		d.suppressed = true;
		return d;
	}
	d.value = (n + 2) / 5 * 5;
	return d;
}

struct disclosed disclosure_total(const int64_t *counts, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += counts[i];
	return disclosure_count(sum);
}

bool disclosure_share_ppm(struct disclosed part, struct disclosed whole, int64_t *ppm)
{
	if (part.suppressed || whole.suppressed || whole.value <= 0)
		return false;
	*ppm = (part.value * 1000000 + whole.value / 2) / whole.value;
	return true;
}

void disclosure_format(sbuf *b, struct disclosed d)
{
	if (d.suppressed)
		sbuf_addf(b, "fewer than %d", disclosure_threshold());
	else
		sbuf_addf(b, "%lld", (long long)d.value);
}

char *disclosure_text(arena *a, struct disclosed d)
{
	sbuf b;
	sbuf_init(&b, a, 64);
	disclosure_format(&b, d);
	return b.err ? arena_strdup(a, "") : b.buf;
}

void disclosure_format_ppm(sbuf *b, int64_t ppm)
{
	int64_t tenths = (ppm + 500) / 1000; /* 1 tenth of a percent = 1000 ppm */
	sbuf_addf(b, "%lld.%lld%%", (long long)(tenths / 10), (long long)(tenths % 10));
}
