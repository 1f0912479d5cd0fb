/* report_csv.c: the figures behind the Board report as CSV, one row per figure as it is
 * shown in the report (suppressed counts read "fewer than 10"); see report.h. */
#include "domain/report.h"

#include "core/csv.h"

int report_csv(arena *a, const struct report *rep, sbuf *out)
{
	(void)a;
	csv_field_cstr(out, "section");
	csv_sep(out);
	csv_field_cstr(out, "programme");
	csv_sep(out);
	csv_field_cstr(out, "measure");
	csv_sep(out);
	csv_field_cstr(out, "value");
	csv_sep(out);
	csv_field_cstr(out, "period_from");
	csv_sep(out);
	csv_field_cstr(out, "period_to");
	csv_end_record(out);
	for (size_t i = 0; i < rep->n_figures; i++) {
		const struct report_figure *f = &rep->figures[i];
		csv_field_cstr(out, f->section);
		csv_sep(out);
		csv_field_cstr(out, f->programme);
		csv_sep(out);
		csv_field_cstr(out, f->measure);
		csv_sep(out);
		csv_field_cstr(out, f->value);
		csv_sep(out);
		date_iso(out, rep->from);
		csv_sep(out);
		date_iso(out, rep->to);
		csv_end_record(out);
	}
	return out->err ? -1 : 0;
}
