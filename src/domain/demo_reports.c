/* demo_reports.c: the demo's case studies; see demo_reports.h. Every name, quote and date
 * here is invented for the demonstration, following the story of seeds 000 and 001. */
#include "domain/demo_reports.h"

#include "core/log.h"
#include "domain/case_studies.h"
#include "domain/validate.h"

static int64_t find_id(db *d, const char *sql, const char *text)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t id = 0;
	if (!st)
		return 0;
	if (db_bind_text(st, 1, text) == DB_OK && db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static const struct case_study_input published = {
	.title = SV("Young adults shaping support: from ideas to the Board"),
	.summary = SV("Demo case study. From December 2021 a group of young adults met every "
		      "fortnight to work out what would make life better for people their age "
		      "in the city. In June 2022 they invited decision-makers from the council "
		      "and the NHS to join them, and in November 2022 they took three proposals "
		      "to the Health and Wellbeing Board. One was supported and is now being "
		      "delivered as part of the Locality Implementation Plan."),
	.part = {
		SV("The group started from the four priorities of the Locality Plan: child "
		   "poverty, climate change, loneliness and social isolation, and suicide "
		   "prevention. Young adults said these were one issue for them, not four: "
		   "money worries, feeling alone and worrying about the future go together. "
		   "They put it as a positive statement: young adults in the city have warm, "
		   "safe places to meet, a fair start in work, and someone to talk to."),
		SV("Young adults from across the city, recruited through youth clubs, colleges "
		   "and word of mouth, some of whom had never taken part in anything like this. "
		   "For the first six months they met on their own with their facilitator, in "
		   "their own space. Some took part only in person, with the facilitator "
		   "recording their ideas with their agreement."),
		SV("Eight ideas, from warm spaces run by young people to apprenticeships with "
		   "local anchor institutions. Three were developed, with decision-makers, into "
		   "concepts and then into proposals for the Board."),
		SV("From June 2022 the group took decisions together with officers from the "
		   "council and the NHS, with a rule that a decision carries only if most local "
		   "people in the room agree. Local people put forward every idea and took most "
		   "of the positions on shared decisions."),
		SV("On 15 November 2022 the Board supported the warm spaces youth network with "
		   "first-year funding, deferred the apprenticeships proposal until a costed plan "
		   "is agreed with employers, and did not support a new text line, asking the "
		   "group to work with an existing service instead."),
		SV("The warm spaces youth network is being delivered by young adults with the "
		   "council and local organisations, and is embedded in the Locality "
		   "Implementation Plan. Officers say the sessions changed how they plan: they "
		   "now ask young adults before a service is designed, not after."),
		SV("Starting with local people on their own built confidence before "
		   "professionals joined. Fortnightly evening sessions suited people in work or "
		   "college; travel costs had to be paid on the day. There is no failure: the "
		   "proposal the Board did not support taught the group who already offers what, "
		   "and how to reach them."),
	},
};

static const struct case_study_input draft = {
	.title = SV("Warm spaces youth network: the first months of co-delivery"),
	.summary = SV("Demo case study, still a draft. How young adults and the council are "
		      "delivering the warm spaces youth network together since the Board "
		      "supported it."),
	.part = {
		SV(""),
		SV("Young adults from the original group, joined by volunteers from two youth "
		   "clubs."),
		SV(""), SV(""), SV(""),
		SV("The first two warm spaces opened in youth centres in the winter of "
		   "2022-23."),
		SV(""),
	},
};

int demo_load_reports(db *d, arena *a)
{
	int64_t programme = find_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	struct audit_actor fac = {0, 0, NULL}, lead = {0, 0, NULL};
	struct field_errors fe;
	int64_t study = 0, quote = 0;
	int rc;
	struct case_study_quote_input q1 = {
		.source = QUOTE_TYPED,
		.quote = SV("At first I thought nobody would listen. By the time we went to the "
			    "Board, the people from the council were asking us what to do next."),
		.speaker = SV("Demo Kai, young adult in the group"),
		.consent = 1,
		.consent_day = SV("6"), .consent_month = SV("12"), .consent_year = SV("2022"),
	};
	struct case_study_quote_input q2 = {
		.source = QUOTE_TYPED,
		.quote = SV("We used to design a service and then consult on it. Sitting in the "
			    "group every fortnight turned that round."),
		.speaker = SV("Demo officer, Demo City Council"),
		.consent = 1,
		.consent_day = SV("6"), .consent_month = SV("12"), .consent_year = SV("2022"),
	};
	struct case_study_quote_input q3 = {
		.source = QUOTE_TYPED,
		.quote = SV("It is somewhere warm to go where nobody judges you."),
		.speaker = SV("Demo young adult at a warm space"),
		.consent = 0,
	};

	if (!programme)
		return DOMAIN_OK;
	fac.account_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				 "facilitator@example.org");
	lead.account_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				  "programme.lead@example.org");
	field_errors_init(&fe);
	rc = case_study_create_tx(d, a, &fac, programme, &published, &fe, &study);
	if (rc == DOMAIN_OK)
		rc = case_study_quote_add_tx(d, a, &fac, study, &q1, &fe, &quote);
	if (rc == DOMAIN_OK)
		rc = case_study_quote_add_tx(d, a, &fac, study, &q2, &fe, &quote);
	if (rc == DOMAIN_OK)
		rc = case_study_publish_tx(d, a, &lead, study, (struct date){2022, 12, 13}, &fe);
	if (rc == DOMAIN_OK)
		rc = case_study_create_tx(d, a, &fac, programme, &draft, &fe, &study);
	if (rc == DOMAIN_OK)
		rc = case_study_quote_add_tx(d, a, &fac, study, &q3, &fe, &quote);
	if (rc != DOMAIN_OK)
		log_error("demo case studies: %d (%s)", rc,
			  fe.n ? fe.items[0].message : "no field error");
	return rc;
}
