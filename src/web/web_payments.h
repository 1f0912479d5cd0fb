/* web_payments.h: the pages that pay participants: a programme's payment policy, claims
 * from attendance and their approval, batches for finance with their CSV and XLSX
 * exports, the payments picture, totals for the Board, and each person's own payments
 * and choice of how to be paid.
 *
 * Who sees what: programme leads and the facilitators of a programme's groups see its
 * money pages (anyone else gets 404 for them); only leads approve, batch, export, mark
 * paid and reverse; Board members see totals only; each person sees only their own
 * payments (a facilitator acting for someone sees theirs).
 */
#ifndef WEB_WEB_PAYMENTS_H
#define WEB_WEB_PAYMENTS_H
#include "web/web.h"

void web_pay_index(req *r, struct web *w);        /* GET  /payments */
void web_pay_overview(req *r, struct web *w);     /* GET  /programmes/:slug/payments */
void web_pay_chart(req *r, struct web *w);        /* GET  /programmes/:slug/payments/chart.svg */
void web_pay_totals(req *r, struct web *w);       /* GET  /programmes/:slug/payments/totals */
void web_pay_policy(req *r, struct web *w);       /* GET  /programmes/:slug/payments/policy */
void web_pay_policy_add(req *r, struct web *w);   /* POST /programmes/:slug/payments/policy */
void web_pay_claims(req *r, struct web *w);       /* GET  /programmes/:slug/payments/claims */
void web_pay_claim_new(req *r, struct web *w);    /* GET  /programmes/:slug/payments/claims/new */
void web_pay_claim_create(req *r, struct web *w); /* POST /programmes/:slug/payments/claims/new */
void web_pay_choice_for(req *r, struct web *w);   /* GET  /programmes/:slug/payments/choices/:id */
void web_pay_choice_for_save(req *r,
                             struct web *w);       /* POST /programmes/:slug/payments/choices/:id */
void web_pay_batch_create(req *r, struct web *w);  /* POST /programmes/:slug/payments/batches */
void web_pay_claim(req *r, struct web *w);         /* GET  /payments/claims/:id */
void web_pay_claim_edit(req *r, struct web *w);    /* POST /payments/claims/:id/edit */
void web_pay_claim_approve(req *r, struct web *w); /* POST /payments/claims/:id/approve */
void web_pay_claim_return(req *r, struct web *w);  /* POST /payments/claims/:id/return */
void web_pay_claim_reverse(req *r, struct web *w); /* POST /payments/claims/:id/reverse */
void web_pay_batch(req *r, struct web *w);         /* GET  /payments/batches/:id */
void web_pay_batch_csv(req *r, struct web *w);     /* GET  /payments/batches/:id/export.csv */
void web_pay_batch_xlsx(req *r, struct web *w);    /* GET  /payments/batches/:id/export.xlsx */
void web_pay_batch_paid(req *r, struct web *w);    /* POST /payments/batches/:id/paid */
void web_pay_mine(req *r, struct web *w);          /* GET  /account/payments */
void web_pay_choice(req *r, struct web *w);        /* GET  /account/payments/choice */
void web_pay_choice_save(req *r, struct web *w);   /* POST /account/payments/choice */

/* The home page's part: puts "payments_home" into w->page for
 * templates/home_payments.html (a local person's own payments and choice; for leads and
 * facilitators, the claims waiting for them). */
void home_payments(req *r, struct web *w);

#endif
