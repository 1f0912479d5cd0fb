/* venues.c: meeting places, their accessibility and their cost; see venues.h. */
#include "domain/venues.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX 8192

#define VENUE_COLUMNS                                                                              \
	"id, name, address, postcode, step_free, accessible_toilet, hearing_loop, quiet_room, "    \
	"near_transport, transport_note, capacity, cost_per_booking_pence FROM venues "

static int venue_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct venue *v = item;
	memset(v, 0, sizeof(*v));
	v->id = db_col_int(s, 0);
	v->name = db_col_dup(s, 1, a);
	v->address = db_col_dup(s, 2, a);
	v->postcode = db_col_dup(s, 3, a);
	v->step_free = db_col_int(s, 4) != 0;
	v->accessible_toilet = db_col_int(s, 5) != 0;
	v->hearing_loop = db_col_int(s, 6) != 0;
	v->quiet_room = db_col_int(s, 7) != 0;
	v->near_transport = db_col_int(s, 8) != 0;
	v->transport_note = db_col_dup(s, 9, a);
	v->capacity = (int)db_col_int(s, 10);
	v->cost_pence = db_col_int(s, 11);
	return v->name && v->address && v->postcode && v->transport_note ? DB_OK : DB_ERR;
}

int venue_get(db *d, arena *a, int64_t id, struct venue *out)
{
	return record_get(d, a, "SELECT " VENUE_COLUMNS "WHERE id = ?", id, venue_row, NULL, out);
}

int venue_list(db *d, arena *a, struct venue **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT " VENUE_COLUMNS "ORDER BY name, id LIMIT ?");
	db_bind_int(s, 1, VENUE_LIST_MAX);
	return db_collect(s, a, sizeof(**out), venue_row, NULL, out, n);
}

static const char *venue_json(arena *a, const struct venue *v)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "name");
	json_cstr(&j, v->name);
	json_key(&j, "address");
	json_cstr(&j, v->address);
	json_key(&j, "postcode");
	json_cstr(&j, v->postcode);
	json_key(&j, "step_free");
	json_bool(&j, v->step_free);
	json_key(&j, "accessible_toilet");
	json_bool(&j, v->accessible_toilet);
	json_key(&j, "hearing_loop");
	json_bool(&j, v->hearing_loop);
	json_key(&j, "quiet_room");
	json_bool(&j, v->quiet_room);
	json_key(&j, "near_transport");
	json_bool(&j, v->near_transport);
	json_key(&j, "transport_note");
	json_cstr(&j, v->transport_note);
	json_key(&j, "capacity");
	json_int(&j, v->capacity);
	json_key(&j, "cost_per_booking_pence");
	json_int(&j, v->cost_pence);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* Checks IN into V (strings in A). */
static void check_venue(arena *a, const struct venue_new *in, struct venue *v,
                        struct field_errors *errs)
{
	sv name = sv_trim(in->name), address = sv_trim(in->address);
	sv postcode = sv_trim(in->postcode), note = sv_trim(in->transport_note);
	sv cap = sv_trim(in->capacity), cost = sv_trim(in->cost);
	int64_t n;

	memset(v, 0, sizeof(*v));
	if (!name.len)
		field_error_add(errs, "name", "Enter the venue’s name");
	else if (name.len > VENUE_NAME_MAX)
		field_error_add(errs, "name", "The name must be 200 characters or fewer");
	if (!address.len)
		field_error_add(errs, "address", "Enter the venue’s address");
	else if (address.len > VENUE_ADDRESS_MAX)
		field_error_add(errs, "address", "The address must be 1000 characters or fewer");
	if (postcode.len > VENUE_POSTCODE_MAX)
		field_error_add(errs, "postcode", "Enter a real postcode, like M5 4WT");
	if (note.len > VENUE_NOTE_MAX)
		field_error_add(errs, "transport_note",
		                "The note about buses and trams must be 500 characters or fewer");
	if (cap.len && (sv_to_i64(cap, &n) != 0 || n < 1 || n > VENUE_CAPACITY_MAX))
		field_error_add(errs, "capacity",
		                "Enter how many people fit as a whole number, like 30");
	else
		v->capacity = cap.len ? (int)n : 0;
	if (cost.len && money_parse(cost, VENUE_COST_MAX_PENCE, &v->cost_pence) != 0)
		field_error_add(errs, "cost", "Enter the cost in pounds, like 12.50");
	v->name = sv_dup(a, name);
	v->address = sv_dup(a, address);
	v->postcode = sv_dup(a, postcode);
	v->transport_note = sv_dup(a, note);
	v->step_free = in->step_free;
	v->accessible_toilet = in->accessible_toilet;
	v->hearing_loop = in->hearing_loop;
	v->quiet_room = in->quiet_room;
	v->near_transport = in->near_transport;
}

int venue_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                  const struct venue_new *in, struct field_errors *errs, int64_t *out_id)
{
	struct venue v, old;
	struct field_errors local;
	char now[ISO_TIME_LEN];
	const char *before = NULL, *after;
	db_stmt *s;
	int rc;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	if (id) {
		rc = venue_get(d, a, id, &old);
		if (rc != DOMAIN_OK)
			return rc;
		before = venue_json(a, &old);
		if (!before)
			return DB_ERR;
	}
	check_venue(a, in, &v, errs);
	if (!v.name || !v.address || !v.postcode || !v.transport_note)
		return DB_ERR;
	if (v.name[0]) {
		s = db_prepare(d, "SELECT 1 FROM venues WHERE name = ? AND id <> ?");
		if (!s)
			return DB_ERR;
		db_bind_text(s, 1, v.name);
		db_bind_int(s, 2, id);
		rc = db_step(s);
		db_done(s);
		if (rc == DB_ROW)
			field_error_add(errs, "name", "There is already a venue with that name");
		else if (rc != DB_DONE)
			return rc;
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	if (id)
		s = db_prepare(d, "UPDATE venues SET name = ?, address = ?, postcode = ?, "
		                  "step_free = ?, accessible_toilet = ?, hearing_loop = ?, "
		                  "quiet_room = ?, near_transport = ?, transport_note = ?, "
		                  "capacity = ?, cost_per_booking_pence = ? WHERE id = ?");
	else
		s = db_prepare(d, "INSERT INTO venues (name, address, postcode, step_free, "
		                  "accessible_toilet, hearing_loop, quiet_room, near_transport, "
		                  "transport_note, capacity, cost_per_booking_pence, created_at) "
		                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, v.name);
	db_bind_text(s, 2, v.address);
	db_bind_text(s, 3, v.postcode);
	db_bind_int(s, 4, v.step_free);
	db_bind_int(s, 5, v.accessible_toilet);
	db_bind_int(s, 6, v.hearing_loop);
	db_bind_int(s, 7, v.quiet_room);
	db_bind_int(s, 8, v.near_transport);
	db_bind_text(s, 9, v.transport_note);
	if (v.capacity)
		db_bind_int(s, 10, v.capacity);
	else
		db_bind_null(s, 10);
	db_bind_int(s, 11, v.cost_pence);
	if (id)
		db_bind_int(s, 12, id);
	else
		db_bind_text(s, 12, now);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	if (!id)
		id = db_last_insert_id(d);
	after = venue_json(a, &v);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "venue", id, before ? "update" : "create", before, after);
	if (rc != DB_OK)
		return rc;
	if (out_id)
		*out_id = id;
	return DOMAIN_OK;
}

int venue_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
               const struct venue_new *in, struct field_errors *errs, int64_t *out_id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = venue_save_tx(d, a, who, id, in, errs, out_id);
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}
