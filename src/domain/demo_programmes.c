/* demo_programmes.c: the demo's programmes, their journeys and an equality impact
 * assessment; see demo_programmes.h. The dates follow the young adults' story in
 * seeds 000 and 001; the success lines follow seed 003's advice to say, at each stage,
 * what success would look like. */
#include "domain/demo_programmes.h"

#include "core/log.h"
#include "domain/programmes.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

/* One stage as the demo sets it: dates "YYYY-MM-DD" or NULL. */
struct demo_stage {
	const char *status, *planned_start, *planned_end, *actual_start, *actual_end, *success;
};

static const struct demo_stage young_adults_stages[PROGRAMME_STAGES] = {
    {"done", "2021-09-01", "2021-10-31", "2021-09-06", "2021-10-29",
     "Local people recognise the positive statements as their own and use them to talk "
     "about the work."},
    {"done", "2021-10-01", "2021-11-30", "2021-10-04", "2021-11-26",
     "A group of young adults that reflects Salford, including voices less often heard, "
     "is inducted, set up to be paid for their time and ready to start."},
    {"done", "2021-12-07", "2022-05-31", "2021-12-07", "2022-05-31",
     "Young adults meet every fortnight in their own space and bring forward ideas in "
     "their own words."},
    {"done", "2022-06-01", "2022-10-31", "2022-06-14", "2022-10-25",
     "Decision-makers listen and change their language, show more flexibility, and "
     "shape concepts and proposals with the young adults as equals."},
    {"done", "2022-11-15", "2022-11-15", "2022-11-15", "2022-11-15",
     "The Board hears the proposals from the young adults themselves and makes a clear "
     "decision on each one."},
    {"in_progress", "2023-01-09", "2024-03-31", "2023-01-09", NULL,
     "The supported proposal is part of the Locality Implementation Plan, its actions "
     "are tracked to done, and everyone who took part hears what changed."},
};

static const struct demo_stage older_people_stages[PROGRAMME_STAGES] = {
    {"done", "2022-09-01", "2022-11-30", "2022-09-05", "2022-11-28",
     "Older people say the statement describes what they want for themselves and their "
     "neighbours."},
    {"in_progress", "2023-01-16", "2023-03-31", "2023-01-16", NULL,
     "People aged over 65 from the neighbourhoods where loneliness is most likely join, "
     "including people who do not go out much or use the internet."},
    {"not_started", "2023-04-04", "2023-09-30", NULL, NULL,
     "The group meets regularly, people come back, and new ideas come from them."},
    {"not_started", NULL, NULL, NULL, NULL, ""},
    {"not_started", NULL, NULL, NULL, NULL, ""},
    {"not_started", NULL, NULL, NULL, NULL, ""},
};

static const char *const all_areas[] = {"child-poverty", "climate-change",
                                        "loneliness-and-social-isolation", "suicide-prevention"};
static const char *const loneliness_only[] = {"loneliness-and-social-isolation"};

static int64_t id_of(db *d, const char *sql, const char *key)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t id = 0;
	if (!s)
		return 0;
	if (db_bind_text(s, 1, key) == DB_OK && db_step(s) == DB_ROW)
		id = db_col_int(s, 0);
	db_done(s);
	return id;
}

/* "2021-12-07" as the date input would send it. */
static struct date_fields fields_of(const char *iso)
{
	struct date_fields f = {SV_NULL, SV_NULL, SV_NULL};
	if (iso) {
		f.year = (sv){iso, 4};
		f.month = (sv){iso + 5, 2};
		f.day = (sv){iso + 8, 2};
	}
	return f;
}

static int add_programme(db *d, arena *a, const struct audit_actor *system, const char *slug,
                         const char *name, const char *summary, const char *const *areas,
                         size_t n_areas, const struct demo_stage *stages, int64_t *id)
{
	int64_t area_ids[COUNT(all_areas)];
	struct field_errors fe;
	struct programme_input in = {
	    .slug = sv_from(slug),
	    .name = sv_from(name),
	    .summary = sv_from(summary),
	    .area_ids = area_ids,
	    .n_areas = n_areas,
	    .lead_id =
	        id_of(d, "SELECT id FROM accounts WHERE email = ?", "programme.lead@example.org"),
	    .published = true,
	};
	int rc;
	for (size_t i = 0; i < n_areas; i++)
		area_ids[i] = id_of(d, "SELECT id FROM priority_areas WHERE slug = ?", areas[i]);
	field_errors_init(&fe);
	rc = programme_create_tx(d, a, system, &in, &fe, id);
	for (int i = 0; !rc && i < PROGRAMME_STAGES; i++) {
		struct stage_input st = {
		    .status = sv_from(stages[i].status),
		    .planned_start = fields_of(stages[i].planned_start),
		    .planned_end = fields_of(stages[i].planned_end),
		    .actual_start = fields_of(stages[i].actual_start),
		    .actual_end = fields_of(stages[i].actual_end),
		    .success = sv_from(stages[i].success),
		};
		rc = programme_stage_save_tx(d, a, system, *id, i + 1, &st, &fe);
	}
	if (rc)
		log_error("demo: could not add the programme %s (%d: %s)", slug, rc,
		          fe.n ? fe.items[0].message : "");
	return rc;
}

int demo_load_programmes(db *d, arena *a)
{
	static const struct audit_actor system = {0, 0, NULL};
	struct field_errors fe;
	int64_t young = 0, older = 0;
	int rc;

	rc = add_programme(
	    d, a, &system, DEMO_PROGRAMME_YOUNG_ADULTS, "Young adults co-production",
	    "Young adults aged 18 to 25 from across Salford meet every fortnight to work on "
	    "all four priority areas. They met on their own with their facilitator first, "
	    "then invited decision-makers from the council and the NHS to join them in June "
	    "2022. Together they turned ideas into proposals for the Health and Wellbeing "
	    "Board in November 2022, and the proposal the Board supported is now being "
	    "delivered with them.",
	    all_areas, COUNT(all_areas), young_adults_stages, &young);
	if (!rc)
		rc = add_programme(
		    d, a, &system, DEMO_PROGRAMME_OLDER_PEOPLE,
		    "Older people’s loneliness programme",
		    "Older people, and the groups and services they already use, work together "
		    "on ways for people to stay connected and take an active part in their "
		    "community. The group is being recruited now, with particular care to reach "
		    "people who rarely go out or go online.",
		    loneliness_only, COUNT(loneliness_only), older_people_stages, &older);
	if (rc)
		return rc;

	field_errors_init(&fe);
	{
		struct eia_input eia = {
		    .who_affected =
		        SV("Young adults aged 18 to 25 in Salford, especially care leavers, "
		           "young carers, young parents, disabled young people, young people "
		           "from Black, Asian and minority ethnic communities, LGBTQ+ young "
		           "people and young people not in education, employment or training."),
		    .how_affected =
		        SV("Evening sessions may clash with work, study or caring. Payments for "
		           "taking part could affect benefits. Some may not have data, a phone "
		           "or a computer. Venues may be hard to reach or not step-free. Some "
		           "may find speaking in front of professionals intimidating."),
		    .mitigations =
		        SV("Sessions at step-free venues near bus routes, at times the group "
		           "chose. Payment for time and travel, with the choice of vouchers, a "
		           "smaller amount or none, and benefits advice first. Data top-ups and "
		           "a loan phone on request. Local people meet on their own before "
		           "decision-makers join, and agree ground rules for joint sessions. A "
		           "facilitator records views for anyone who takes part only in "
		           "person."),
		    .reviewer_name = SV("Demo Equality Officer Sam"),
		    /* Reviewed every year since the first assessment in October 2021. */
		    .assessed_on = fields_of("2025-12-02"),
		    .review_on = fields_of("2026-12-01"),
		};
		rc = programme_eia_save_tx(d, a, &system, young, &eia, &fe);
	}
	if (rc)
		log_error("demo: could not add the equality impact assessment (%d)", rc);
	return rc;
}
