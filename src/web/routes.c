/* routes.c: the route table. Every URL coprod answers is one line here, saying who may
 * call it and whether it changes data; web_dispatch checks both before any handler runs.
 * A new page is a handler in its web_*.c file and a line in this table. */
#include "web/web.h"
#include "web/web_groups.h"
#include "web/web_admin.h"
#include "web/web_ideas.h"
#include "web/web_board.h"
#include "web/web_api.h"
#include "web/web_programmes.h"
#include "web/web_decisions.h"
#include "web/web_budget.h"
#include "web/web_equality.h"

#define PUBLIC ROUTE_PUBLIC
#define SIGNED_IN ROUTE_SIGNED_IN
#define LEAD ((unsigned)ROLE_PROGRAMME_LEAD)
#define FACILITATORS ((unsigned)(ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD))
#define GET HTTP_GET
#define POST HTTP_POST

const struct route routes[] = {
	/* Public pages */
	{GET, "/", web_home_public, PUBLIC},
	{GET, "/priorities", web_priorities, PUBLIC},
	{GET, "/priorities/:slug", web_priority_area, PUBLIC},
	{GET, "/accessibility", web_static_page, PUBLIC},
	{GET, "/privacy", web_static_page, PUBLIC},
	{GET, "/cookies", web_static_page, PUBLIC},
	{GET, "/healthz", web_healthz, PUBLIC | ROUTE_TEXT},

	/* Signing in and out */
	{GET, "/sign-in", web_sign_in_form, PUBLIC},
	{POST, "/sign-in", web_sign_in, PUBLIC | ROUTE_CSRF},
	{POST, "/sign-out", web_sign_out, SIGNED_IN | ROUTE_CSRF},
	{GET, "/reset-password/:token", web_reset_form, PUBLIC | ROUTE_ANON_ONLY},
	{POST, "/reset-password/:token", web_reset, PUBLIC | ROUTE_ANON_ONLY | ROUTE_CSRF},

	/* Signed-in home and account */
	{GET, "/home", web_home, SIGNED_IN},
	{GET, "/account/password", web_password_form, SIGNED_IN},
	{POST, "/account/password", web_password_change, SIGNED_IN | ROUTE_CSRF},

	/* Assisted participation */
	{POST, "/acting-for/stop", web_acting_for_stop, SIGNED_IN | ROUTE_CSRF},
	{POST, "/acting-for/:id", web_acting_for_start, FACILITATORS | ROUTE_CSRF},

	/* People and access (web_admin.c, web_assisted.c) */
	{GET, "/admin/people", web_admin_people, LEAD},
	{GET, "/admin/people/new", web_admin_person_new, LEAD},
	{POST, "/admin/people/new", web_admin_person_create, LEAD | ROUTE_CSRF},
	{GET, "/admin/people/:id", web_admin_person, LEAD},
	{POST, "/admin/people/:id", web_admin_person_update, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/disable", web_admin_person_disable, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/enable", web_admin_person_enable, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/reset", web_admin_person_reset, LEAD | ROUTE_CSRF},
	{GET, "/admin/resets", web_admin_resets, LEAD},
	{GET, "/admin/organisations", web_admin_organisations, LEAD},
	{POST, "/admin/organisations", web_admin_organisation_create, LEAD | ROUTE_CSRF},
	{GET, "/admin/audit", web_admin_audit, LEAD},
	{GET, "/assisted", web_assisted, FACILITATORS},
	{GET, "/assisted/new", web_assisted_new, FACILITATORS},
	{POST, "/assisted/new", web_assisted_create, FACILITATORS | ROUTE_CSRF},

	/* Programmes and priority statements (web_programmes.c, web_api.c) */
	{GET, "/programmes", web_programmes, PUBLIC},
	{GET, "/programmes/new", web_programme_new, LEAD},
	{POST, "/programmes/new", web_programme_create, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug", web_programme, PUBLIC},
	{GET, "/programmes/:slug/edit", web_programme_edit, LEAD},
	{POST, "/programmes/:slug/edit", web_programme_update, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/stages/:stage", web_programme_stage_form, LEAD},
	{POST, "/programmes/:slug/stages/:stage", web_programme_stage_save, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/equality", web_programme_eia_form, LEAD},
	{POST, "/programmes/:slug/equality", web_programme_eia_save, LEAD | ROUTE_CSRF},
	{GET, "/priorities/:slug/history", web_priority_history, PUBLIC},
	{GET, "/priorities/:slug/edit", web_priority_edit_form, LEAD},
	{POST, "/priorities/:slug/edit", web_priority_edit, LEAD | ROUTE_CSRF},
	{GET, "/api/v1/priorities", web_api_priorities, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/priorities/:slug", web_api_priority, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/programmes", web_api_programmes, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/programmes/:slug", web_api_programme, PUBLIC | ROUTE_JSON},

	/* Decisions and the balance of power (web_decisions.c) */
	{GET, "/groups/:id/decisions", web_decisions_group, SIGNED_IN},
	{GET, "/groups/:id/decisions/new", web_decision_new, FACILITATORS},
	{POST, "/groups/:id/decisions/new", web_decision_create, FACILITATORS | ROUTE_CSRF},
	{GET, "/decisions/:id", web_decision, SIGNED_IN},
	{POST, "/decisions/:id/position", web_decision_position, SIGNED_IN | ROUTE_CSRF},
	{POST, "/decisions/:id/close", web_decision_close, FACILITATORS | ROUTE_CSRF},
	{POST, "/decisions/:id/reopen", web_decision_reopen, FACILITATORS | ROUTE_CSRF},
	{GET, "/programmes/:slug/power", web_power, SIGNED_IN},

	/* Board, co-delivery and returns (web_board.c, web_delivery.c, web_returns.c) */
	{GET, "/board", web_board, PUBLIC},
	{GET, "/board/meetings/new", web_board_meeting_new, LEAD},
	{POST, "/board/meetings/new", web_board_meeting_create, LEAD | ROUTE_CSRF},
	{GET, "/board/meetings/:id", web_board_meeting, PUBLIC},
	{GET, "/board/meetings/:id/proposals/new", web_board_paper_new, LEAD},
	{POST, "/board/meetings/:id/proposals/new", web_board_paper_create, LEAD | ROUTE_CSRF},
	{GET, "/board/proposals/:id/decision", web_board_decision,
	 LEAD | (unsigned)ROLE_BOARD_MEMBER},
	{POST, "/board/proposals/:id/decision", web_board_decision_save,
	 LEAD | (unsigned)ROLE_BOARD_MEMBER | ROUTE_CSRF},
	{POST, "/board/proposals/:id/plan", web_delivery_plan_create, LEAD | ROUTE_CSRF},
	{GET, "/locality-plan", web_locality_plan, PUBLIC},
	{GET, "/delivery/:id", web_delivery_plan, PUBLIC},
	{GET, "/delivery/:id/actions/new", web_delivery_action_new, LEAD},
	{POST, "/delivery/:id/actions/new", web_delivery_action_create, LEAD | ROUTE_CSRF},
	{GET, "/delivery/:id/milestones/new", web_delivery_milestone_new, LEAD},
	{POST, "/delivery/:id/milestones/new", web_delivery_milestone_create, LEAD | ROUTE_CSRF},
	{POST, "/delivery/:id/delivered", web_delivery_delivered, LEAD | ROUTE_CSRF},
	{GET, "/delivery/actions/:id", web_delivery_action, LEAD},
	{POST, "/delivery/actions/:id", web_delivery_action_save, LEAD | ROUTE_CSRF},
	{POST, "/delivery/milestones/:id/reached", web_delivery_milestone_reached,
	 LEAD | ROUTE_CSRF},
	{GET, "/returns", web_returns, LEAD | (unsigned)ROLE_BOARD_MEMBER},
	{GET, "/returns/new", web_return_new, (unsigned)ROLE_BOARD_MEMBER},
	{POST, "/returns/new", web_return_create, (unsigned)ROLE_BOARD_MEMBER | ROUTE_CSRF},
	{GET, "/returns/:id", web_return, LEAD | (unsigned)ROLE_BOARD_MEMBER},
	{GET, "/api/v1/proposals", web_api_proposals, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/delivery", web_api_delivery, PUBLIC | ROUTE_JSON},
	/* Ideas, concepts and proposals, and "you said, we did" (web_ideas.c, web_yousaid.c) */
	{GET, "/ideas", web_ideas, SIGNED_IN},
	{GET, "/ideas/:id", web_idea, PUBLIC},
	{GET, "/ideas/:id/edit", web_idea_edit_form, SIGNED_IN},
	{POST, "/ideas/:id/edit", web_idea_edit, SIGNED_IN | ROUTE_CSRF},
	{GET, "/ideas/:id/versions", web_idea_versions, SIGNED_IN},
	{POST, "/ideas/:id/comments", web_idea_comment, SIGNED_IN | ROUTE_CSRF},
	{POST, "/ideas/:id/status", web_idea_status, SIGNED_IN | ROUTE_CSRF},
	{POST, "/ideas/:id/tags", web_idea_tags, SIGNED_IN | ROUTE_CSRF},
	{POST, "/ideas/:id/links", web_idea_link, SIGNED_IN | ROUTE_CSRF},
	{POST, "/ideas/:id/shares", web_idea_share, SIGNED_IN | ROUTE_CSRF},
	{GET, "/ideas/:id/tests/new", web_idea_test_form, SIGNED_IN},
	{POST, "/ideas/:id/tests/new", web_idea_test, SIGNED_IN | ROUTE_CSRF},
	{GET, "/programmes/:slug/ideas", web_ideas_programme, SIGNED_IN},
	{GET, "/groups/:id/ideas", web_ideas_group, SIGNED_IN},
	{GET, "/groups/:id/ideas/new", web_idea_new, SIGNED_IN},
	{POST, "/groups/:id/ideas/new", web_idea_create, SIGNED_IN | ROUTE_CSRF},
	{GET, "/you-said-we-did", web_yousaid, PUBLIC},
	{GET, "/programmes/:slug/you-said-we-did", web_yousaid_programme, PUBLIC},
	{GET, "/api/v1/you-said-we-did", web_yousaid_api, PUBLIC | ROUTE_JSON},

	/* Groups and sessions (web_groups.c, web_meetings.c) */
	{GET, "/groups", web_groups, SIGNED_IN},
	{GET, "/groups/new", web_group_new, FACILITATORS},
	{POST, "/groups/new", web_group_create, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id", web_group, SIGNED_IN},
	{GET, "/groups/:id/edit", web_group_edit, FACILITATORS},
	{POST, "/groups/:id/edit", web_group_update, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id/open", web_group_open_form, FACILITATORS},
	{POST, "/groups/:id/open", web_group_open, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id/members/new", web_group_member_new, FACILITATORS},
	{POST, "/groups/:id/members/new", web_group_member_add, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id/members/:mid/leave", web_group_member_leave_form, FACILITATORS},
	{POST, "/groups/:id/members/:mid/leave", web_group_member_leave, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id/sessions/new", web_meeting_new, FACILITATORS},
	{POST, "/groups/:id/sessions/new", web_meeting_create, FACILITATORS | ROUTE_CSRF},
	{GET, "/groups/:id/schedule", web_meeting_schedule_form, FACILITATORS},
	{POST, "/groups/:id/schedule", web_meeting_schedule, FACILITATORS | ROUTE_CSRF},
	{GET, "/venues", web_venues, FACILITATORS},
	{GET, "/venues/new", web_venue_new, FACILITATORS},
	{POST, "/venues/new", web_venue_create, FACILITATORS | ROUTE_CSRF},
	{GET, "/venues/:id", web_venue_edit, FACILITATORS},
	{POST, "/venues/:id", web_venue_update, FACILITATORS | ROUTE_CSRF},
	{GET, "/meetings/:id", web_meeting, SIGNED_IN},
	{POST, "/meetings/:id/agenda", web_meeting_agenda_add, FACILITATORS | ROUTE_CSRF},
	{POST, "/meetings/:id/notes", web_meeting_notes, FACILITATORS | ROUTE_CSRF},
	{POST, "/meetings/:id/outcomes", web_meeting_outcome_add, FACILITATORS | ROUTE_CSRF},
	{GET, "/meetings/:id/attendance", web_meeting_attendance_form, FACILITATORS},
	{POST, "/meetings/:id/attendance", web_meeting_attendance, FACILITATORS | ROUTE_CSRF},
	{GET, "/meetings/:id/cancel", web_meeting_cancel_form, FACILITATORS},
	{POST, "/meetings/:id/cancel", web_meeting_cancel, FACILITATORS | ROUTE_CSRF},
	{GET, "/meetings/:id/move", web_meeting_move_form, FACILITATORS},
	{POST, "/meetings/:id/move", web_meeting_move, FACILITATORS | ROUTE_CSRF},
	{GET, "/meetings/:id/calendar.ics", web_meeting_ics, SIGNED_IN | ROUTE_TEXT},
	{GET, "/calendar", web_calendar, SIGNED_IN},
	{POST, "/calendar", web_calendar_new, SIGNED_IN | ROUTE_CSRF},
	{GET, "/calendar/:token", web_calendar_feed, PUBLIC | ROUTE_TEXT},

	/* Budget (web_budget.c) */
	{GET, "/funding", web_funding, LEAD},
	{GET, "/funding/new", web_funding_new, LEAD},
	{POST, "/funding/new", web_funding_create, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/budget", web_budget, FACILITATORS},
	{GET, "/programmes/:slug/budget/summary", web_budget_summary,
	 FACILITATORS | (unsigned)ROLE_BOARD_MEMBER},
	{GET, "/programmes/:slug/budget/chart-lines.svg", web_budget_chart_lines,
	 FACILITATORS | (unsigned)ROLE_BOARD_MEMBER | ROUTE_TEXT},
	{GET, "/programmes/:slug/budget/chart-months.svg", web_budget_chart_months,
	 FACILITATORS | (unsigned)ROLE_BOARD_MEMBER | ROUTE_TEXT},
	{GET, "/programmes/:slug/budget/lines/new", web_budget_line_new, LEAD},
	{POST, "/programmes/:slug/budget/lines/new", web_budget_line_create, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/budget/record", web_budget_record_form, FACILITATORS},
	{POST, "/programmes/:slug/budget/record", web_budget_record, FACILITATORS | ROUTE_CSRF},
	{GET, "/programmes/:slug/budget/entries/:id/correct", web_budget_correct_form, LEAD},
	{POST, "/programmes/:slug/budget/entries/:id/correct", web_budget_correct,
	 LEAD | ROUTE_CSRF},

	/* Equality and diversity (web_equality.c, web_diversity.c) */
	{GET, "/interest/:ref/about-you", web_about_you_interest_form, PUBLIC},
	{POST, "/interest/:ref/about-you", web_about_you_interest_save, PUBLIC | ROUTE_CSRF},
	{GET, "/account/about-you", web_about_you_form, SIGNED_IN},
	{POST, "/account/about-you", web_about_you_save, SIGNED_IN | ROUTE_CSRF},
	{POST, "/account/about-you/withdraw", web_about_you_withdraw, SIGNED_IN | ROUTE_CSRF},
	{GET, "/programmes/:slug/equality-monitoring", web_equality_settings_form, LEAD},
	{POST, "/programmes/:slug/equality-monitoring", web_equality_settings_save,
	 LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/population", web_population_form, LEAD},
	{POST, "/programmes/:slug/population/figures", web_population_figures_import,
	 LEAD | ROUTE_CSRF},
	{POST, "/programmes/:slug/population/postcodes", web_population_postcodes_import,
	 LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/equality/people/:id", web_equality_person, LEAD},
	{POST, "/programmes/:slug/equality/people/:id", web_equality_person_view,
	 LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/diversity", web_diversity, FACILITATORS},
	{GET, "/programmes/:slug/diversity.csv", web_diversity_csv, FACILITATORS | ROUTE_CSV},
	{GET, "/programmes/:slug/diversity/:category/chart.svg", web_diversity_chart,
	 FACILITATORS | ROUTE_TEXT},
	{GET, "/api/v1/programmes/:slug/diversity", web_diversity_json,
	 FACILITATORS | ROUTE_JSON},

	{0, NULL, NULL, 0},
};
