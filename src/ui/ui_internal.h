/* folio — what the modules of src/ui/ share.  Not a public header.
 *
 * The whole interface draws on stdscr only: one buffer to blank on lock and
 * sign-out, and no hidden windows keeping old text.  Every screen registers a
 * view (a draw callback over its own state) on a stack, and all input goes
 * through ui_getkey(), which handles resize, the idle lock and endings in one
 * place: after either, it redraws the stack, so the screen that was showing
 * comes back exactly as it was (scroll position, half-typed text).
 *
 * Endings (sign-out, quit, a signal, a lockout while locked) are not
 * unwound by longjmp: u->ending is set and ui_getkey() returns UI_KEY_ABORT
 * from then on, so every loop backs out through its normal cleanup (and
 * smem buffers get wiped on the way).
 */
#ifndef FOLIO_UI_INTERNAL_H
#define FOLIO_UI_INTERNAL_H

#include <stddef.h>

#include "folio/access.h"
#include "folio/util.h"

/* ---- keys ------------------------------------------------------------ */
/* ui_getkey() returns a Unicode code point for a character, or a curses
 * KEY_* code moved above the Unicode range, so the two never collide. */
#define UI_KEY_FN 0x200000
#define UI_FKEY(k) (UI_KEY_FN + (k))
/* The session or program is ending: back out. */
#define UI_KEY_ABORT (UI_KEY_FN + 0xffff)
#define UI_KEY_ESC 27
/* ui_getkey_timeout(): no key came within the time asked for. */
#define UI_KEY_NONE (UI_KEY_FN + 0xfffe)

int ui_key_is_enter(int k);
int ui_key_is_backspace(int k);
/* 1 for Esc or an ending; the caller decides about '^' (empty fields only). */
int ui_key_is_back(int k);
int ui_key_is_help(int k);

/* ---- state ----------------------------------------------------------- */
enum ui_end {
	UI_END_NONE,
	UI_END_SIGNOUT, /* back to the sign-in screen */
	UI_END_LOCKOUT, /* the account locked out while the screen was locked */
	UI_END_QUIT,    /* sign out and leave folio */
	UI_END_SIGNAL   /* SIGTERM/SIGHUP or a lost terminal: leave at once */
};

enum ui_attr {
	UI_A_HEADER,
	UI_A_STATUS,
	UI_A_ERROR,
	UI_A_SELECT,
	UI_A_TITLE,
	UI_A_DIM
};

struct ui;
typedef void ui_draw_fn(struct ui *u, void *ctx);

struct ui_view {
	ui_draw_fn *draw;
	void *ctx;
	int full;              /* draws the whole screen: views below are hidden */
	struct ui_view *below;
};

struct ui {
	const char *db_path;
	struct store *st;
	struct session *s;     /* NULL on the sign-in screen */
	int colors;
	int ending;            /* enum ui_end */
	int locked;            /* the lock screen is up */
	const char *lock_reason; /* for the audit row; NULL means idle */
	struct ui_view *top;
	char msg[FOLIO_ERR_MAX + 64];
	int msg_err;
	double last_key;       /* monotonic seconds */
	int quick_errs;        /* getch errors in a row without waiting: tty gone */
	/* Called by the lock screen with locking 1 once the screen is blanked
	 * and before the keys are wiped, and with 0 after the unlock (or the
	 * ending) before anything is drawn again: the editor saves its draft
	 * here (ui_editor.c).  One slot; a user saves and restores it. */
	void (*lock_hook)(struct ui *u, void *ctx, int locking);
	void *lock_hook_ctx;
};

enum ui_result { UI_OK = 0, UI_BACK = 1, UI_ABORT = 2 };

/* ---- ui_key.c -------------------------------------------------------- */
/* The one place input comes from: waits for a key, locks the screen when
 * the session has been idle too long, redraws on resize and after unlock.
 * Returns UI_KEY_ABORT whenever u->ending is set. */
int ui_getkey(struct ui *u);
/* The same, but gives up after ms milliseconds without a key and returns
 * UI_KEY_NONE (the idle lock and resizes are still handled meanwhile). */
int ui_getkey_timeout(struct ui *u, int ms);
double ui_clock(void);
/* Set by the SIGTERM/SIGHUP handler; ui_getkey() turns it into an ending. */
int ui_pending_signal(void);
void ui_signal_note(int sig);

/* ---- ui_screen.c ----------------------------------------------------- */
void ui_view_push(struct ui *u, struct ui_view *v, ui_draw_fn *draw, void *ctx, int full);
void ui_view_pop(struct ui *u, const struct ui_view *v);
/* Draws the view stack from the topmost full view up, then refreshes.
 * While an ending unwinds the screens it only blanks: nothing reappears
 * after a lockout or on the way out. */
void ui_redraw(struct ui *u);
/* Blanks the terminal (erase + refresh), before a lock or an exit. */
void ui_blank(void);
int ui_attr(const struct ui *u, enum ui_attr a);
/* Writes s at (row, col) in at most width display columns (UTF-8 aware);
 * returns the columns used. */
int ui_put(int row, int col, int width, const char *s, int attr);
int ui_text_width(const char *s);
/* Erases, draws the title bar, message line and (when signed in) the status
 * line.  Screens then fill rows 2 .. ui_body_end(). */
void ui_frame(struct ui *u, const char *title, const char *hints);
int ui_body_end(void);     /* last body row */
int ui_action_row(void);   /* the action bar of list screens */
int ui_prompt_row(void);   /* one-line prompts */
void ui_msg(struct ui *u, int err, const char *fmt, ...) PRINTF_LIKE(3, 4);
void ui_msg_clear(struct ui *u);
/* 1 when the session's role may do a; else says so on the message line. */
int ui_may(struct ui *u, enum action a);
/* Sets the ending that makes every screen back out. */
void ui_end(struct ui *u, int how);

/* ---- ui_help.c ------------------------------------------------------- */
/* A box over the current screen with text (lines split at '\n'); any key
 * closes it.  Used for help and for short reports. */
void ui_popup(struct ui *u, const char *title, const char *text);

/* ---- ui_input.c ------------------------------------------------------ */
struct ui_field {
	const char *label;   /* "User name" */
	const char *help;    /* shown for '?' on an empty field, or F1 */
	const char *def;     /* shown as "DEF//"; Enter on an empty field takes it */
	char *buf;           /* caller's; an smem buffer when secret */
	size_t cap;
	size_t len;
	int secret;          /* nothing is echoed; '?' is data, F1 is help */
	int row;             /* < 0 counts from the bottom (LINES + row) */
	int col;
};

/* Edits f->buf (keeps what is there) until Enter (UI_OK), Esc or '^' on an
 * empty field (UI_BACK) or an ending (UI_ABORT). */
int ui_field_run(struct ui *u, struct ui_field *f);
void ui_field_draw(struct ui *u, struct ui_field *f);
void ui_field_clear(struct ui_field *f);
/* Asks "question? DEF//" on the prompt line: 1 yes, 0 no or backed out. */
int ui_confirm(struct ui *u, const char *question, int def_yes);
/* Asks for one line on the prompt line into buf; UI_OK / UI_BACK / UI_ABORT. */
int ui_ask(struct ui *u, const char *label, const char *help, const char *def, char *buf,
	   size_t cap);
/* "T", "T-7", "T+1W", "NOW" or YYYY-MM-DD into "YYYY-MM-DD"; 0 or -1. */
int ui_date_parse(const char *in, char out[11]);

/* ---- ui_form.c ------------------------------------------------------- */
/* A form: a title and the answers given so far, one per row, with the next
 * field below them.  Secret answers are listed by label only. */
#define UI_FORM_LINES 12
struct ui_form {
	const char *title;
	const char *intro;
	int n;
	char line[UI_FORM_LINES][128];
	struct ui_view view;
};

void ui_form_open(struct ui *u, struct ui_form *fm, const char *title, const char *intro);
void ui_form_close(struct ui *u, struct ui_form *fm);
/* Runs f on the form's next row; on UI_OK records the answer. */
int ui_form_field(struct ui *u, struct ui_form *fm, struct ui_field *f);
/* Forgets the last n answers (a step backed out to an earlier one). */
void ui_form_drop(struct ui_form *fm, int n);

/* ---- ui_list.c ------------------------------------------------------- */
struct ui_list {
	int n;      /* rows */
	int sel;    /* highlighted row */
	int top;    /* first row shown */
	int digits; /* number being typed to pick a row */
};

/* Moves the selection for arrows, PgUp/PgDn, +/-, Home/End and typed row
 * numbers; returns 1 when it used the key. */
int ui_list_key(struct ui_list *l, int key, int page);
/* Keeps sel visible in a page of rows. */
void ui_list_fit(struct ui_list *l, int page);
/* Paints the highlight bar across row when selected; the attribute to
 * draw the row's cells with. */
int ui_list_bar(struct ui *u, int row, int selected);

/* ---- screens --------------------------------------------------------- */
struct ui_menu_item {
	const char *label;
	const char *help;
	int need;                    /* enum action, or UI_ANYONE */
	void (*run)(struct ui *u);
};
#define UI_ANYONE (-1)

/* Runs a numbered menu of the items the session may use; returns when the
 * user backs out (UI_BACK) or an ending is set (UI_ABORT). */
int ui_menu_run(struct ui *u, const char *title, const char *help,
		const struct ui_menu_item *items, size_t n, int confirm_signout);
void ui_menu_main(struct ui *u);

/* Sign-in screen: 0 with u->s set, or -1 when the user leaves folio. */
int ui_login_run(struct ui *u);
/* The lock screen (idle or asked for). */
void ui_lock_run(struct ui *u);
void ui_lock_now(struct ui *u);
void ui_users_run(struct ui *u);
void ui_audit_run(struct ui *u);
void ui_audit_verify(struct ui *u);
void ui_audit_head(struct ui *u);
void ui_settings_run(struct ui *u);
/* The database integrity check, its report in a popup. */
void ui_settings_dbcheck(struct ui *u);
void ui_account_passwd(struct ui *u);
void ui_account_signout(struct ui *u);

/* Asks for a new password twice on form fm, into pw (an smem buffer of cap
 * bytes; *len its length); UI_OK only when both match and the rules pass.
 * UI_BACK when the user backed out of the first question. */
int ui_account_new_password(struct ui *u, struct ui_form *fm, const char *user, char *pw,
			    size_t cap, size_t *len);

/* Ends grant g with the status rc of the call made under it; when rc is a
 * failure the call's message in e is kept (the rollback's is dropped). */
int ui_grant_end(struct grant *g, int rc, struct folio_err *e);

/* 1 when a failed call ended the session (lockout while locked). */
int ui_session_gone(const struct ui *u, int rc, const struct folio_err *e);

/* ---- patients (ui_patient*.c, ui_checkin.c, ui_alerts.c) -------------- */
struct patient;
struct patient_hit;

/* Menu items. */
void ui_patient_find_run(struct ui *u);
void ui_patient_register_run(struct ui *u);
void ui_checkins_run(struct ui *u);
void ui_alerts_run(struct ui *u);
/* "Duplicate charts": pairs found by the duplicate scan, to verify (ui_dupes.c). */
void ui_dupes_run(struct ui *u);
/* The merges done, newest first; U undoes one (ui_merges.c). */
void ui_merges_run(struct ui *u);

/* The one lookup prompt "Select PATIENT NAME:" with type-ahead; UI_OK with
 * the picked MRN in mrn (cap >= MRN_MAX), UI_BACK or UI_ABORT. */
int ui_patient_lookup(struct ui *u, const char *title, char *mrn, size_t cap);
/* The checks before a chart opens: own record (refused), near twin (warn,
 * confirm), restricted (banner, "Do you want to continue? No//", a reason,
 * break the glass).  hits (n of them, may be NULL) are the lookup's rows,
 * searched first for a near twin.  UI_OK when the chart may open. */
int ui_patient_gate(struct ui *u, const char *mrn, const struct patient_hit *hits, size_t n);
/* The patient screen (demographics, Edit, Check in, Restrict); the patient
 * is in context on the status line while it shows.  Call after the gate. */
void ui_patient_screen(struct ui *u, const char *mrn);
/* Gate then screen. */
void ui_patient_open(struct ui *u, const char *mrn, const struct patient_hit *hits, size_t n);
/* Check-in questions (clinic, reason for visit) and the check-in itself. */
void ui_patient_checkin(struct ui *u, const char *mrn);

/* Every demographic field with its label from row top down (two columns,
 * long fields across); field cur highlighted (-1 none).  The SSN shows as
 * its last four only. */
void ui_patient_draw_fields(struct ui *u, const struct patient *p, int top, int cur);
/* The SSN as shown on screens: "***-**-1234", or "" when none. */
void ui_patient_ssn_masked(const char *ssn, char out[16]);
/* "LAST,FIRST MIDDLE" into out. */
void ui_patient_name(const char *last, const char *first, const char *middle, char *out,
		     size_t cap);
/* One lookup row: number, name, DOB, sex, last four, MRN, flags. */
void ui_patient_hit_draw(struct ui *u, int row, int num, const struct patient_hit *h, int attr);
void ui_patient_hit_header(struct ui *u, int row);
/* Asks the fields of p one by one ("Label: CURRENT//"), each checked by
 * patient_set(); Esc or ^ stops asking.  *changed counts the changed fields.
 * UI_OK when the user went through or stopped with something entered,
 * UI_BACK when they backed out with nothing, UI_ABORT on an ending. */
int ui_patient_form(struct ui *u, const char *title, const char *intro, struct patient *p,
		    int *changed);

/* ---- clinical sections (ui_clinical.c) --------------------------------- */
/* The list screen of one section of the chart (enum clinical_kind, below
 * CLIN_SECTIONS): vitals as a trend of the last sets, the others as lists;
 * A adds, the action bar's letters change the highlighted item. */
void ui_clinical_run(struct ui *u, const char *mrn, int kind);
/* For the chart header, under one audited ACT_CHART_VIEW grant: the
 * allergy banner ("ALLERGIES: ...", "No known allergies (NKA, by USER
 * DATE)", "Allergies not assessed") and, when vitals is not NULL, the
 * latest vitals in one line ("" when none).  0, or -1 with a message. */
int ui_clinical_summary(struct ui *u, const char *mrn, char *banner, size_t bcap, char *vitals,
			size_t vcap);
/* Draws the banner on row (allergies and "not assessed" in the alert
 * colour). */
void ui_clinical_banner_draw(struct ui *u, int row, const char *banner);

/* ---- the chart (ui_chart.c, ui_document.c) ----------------------------- */
struct document_info;
/* The chart screen of a patient already through the gate. */
void ui_chart_screen(struct ui *u, const char *mrn);
/* The patient header every chart screen shows on rows 2 and 3. */
void ui_chart_header(struct ui *u, const char *name, const char *mrn, const char *age_sex, int restricted,
		     int test, const char *banner);
/* The facts a chart screen heads with, read under their own audited
 * ACT_PATIENT_VIEW grant.  FOLIO_OK, or the status with e set (the caller
 * says so: each screen words it its own way). */
struct ui_heading {
	char name[200];
	char age_sex[40];
	int restricted, test;
};
int ui_chart_heading(struct ui *u, const char *mrn, struct ui_heading *h, struct folio_err *e);
/* "64y M" from a DOB YYYY-MM-DD and a sex code. */
void ui_chart_age_sex(const char *dob, const char *sex, char *out, size_t cap);
/* One row of a document list. */
void ui_document_line(const struct document_info *d, char *out, size_t cap);
/* The documents of a chart: list, viewer, editor, signing. */
void ui_documents_run(struct ui *u, const char *mrn, const char *name, const char *age_sex, int restricted,
		      int test, const char *banner);
/* Account: set one's signature code (signers). */
void ui_account_sigcode(struct ui *u);

/* ---- paper charts (ui_tracking.c) --------------------------------------- */
/* A patient's paper chart (already through the gate): volumes, where each
 * is, requests, movements; charge out, check in, request, missing, found. */
void ui_tracking_run(struct ui *u, const char *mrn);
/* Menu item: the pull list and the overdue list. */
void ui_tracking_lists_run(struct ui *u);

/* ---- coding (ui_coding.c, ui_codesearch.c) ----------------------------- */
struct codes_index;
/* The coding screen of encounter enc on a chart already through the gate
 * (the header arguments as ui_documents_run): the codes, the live MS-DRG
 * panel and the coding actions, read-only for a role that may not code. */
void ui_coding_run(struct ui *u, const char *mrn, int64_t enc, const char *name, const char *age_sex,
		   int restricted, int test, const char *banner);
/* The code-search popup over index x, refreshed on every key: UI_OK with a
 * billable code (upper case, no dot) in code (CODES_CODE_MAX bytes), UI_BACK
 * or UI_ABORT.  Taking a header code lists its billable codes instead. */
int ui_code_search(struct ui *u, const struct codes_index *x, const char *title, char *code);

/* ---- the document editor (ui_editor.c) -------------------------------- */
struct ui_editor_opts {
	const char *title;    /* after "folio — " in the title bar */
	const char *hints;    /* status line hints; NULL for the editor's own */
	int readonly;         /* a viewer: scrolling, / find, n next; no cursor */
	/* Keeps a draft (returns 0 when kept): called at most every
	 * draft_seconds (<= 0: 2 s) after a change, when the screen locks
	 * (the keys still there) and before the editor returns, except after
	 * "Discard changes? Yes".  NULL: no drafts. */
	int (*save_draft)(void *ctx, const char *text, size_t len);
	void *ctx;
	double draft_seconds;
};

/* Edits (or with o->readonly shows) len bytes of UTF-8 text, which may be
 * NULL when len is 0.  Returns UI_OK when the user finished (F10 or ^X):
 * *out is a new smem buffer of *outlen bytes plus a NUL, which the caller
 * smem_free()s; UI_BACK when they left without saving (Esc, confirmed when
 * there were changes; or the viewer closed); UI_ABORT on an ending (the
 * draft was saved first: keep it); -1 out of memory, with a message.  The
 * caller redraws its screen after. */
int ui_editor_run(struct ui *u, const char *initial, size_t len, const struct ui_editor_opts *o,
		  char **out, size_t *outlen);
/* The heading template of a document type ("hp", "progress", "consult",
 * "operative", "procedure", "discharge", "letter", "other",
 * "psychotherapy", "substance"), or NULL; see textbuf_template(). */
const char *ui_editor_template(const char *doc_type);

/* ---- physician queries (ui_query.c) and the inbox (ui_inbox.c) -------- */
struct encounter_info;
struct query_info;
struct query_text;
/* Raises a query on encounter enc of chart mrn (already through the gate):
 * indicators picked from the chart, then the format, question, options,
 * physician and dates. */
void ui_query_raise(struct ui *u, const char *mrn, const struct encounter_info *enc);
/* Menu: the coder's list of queries (read, close, withdraw). */
void ui_queries_run(struct ui *u);
/* Reads query id of chart mrn (through the gate first) with its text
 * (query_text_free); 0, or -1 with a message. */
int ui_query_load(struct ui *u, const char *mrn, int64_t id, struct query_info *q, struct query_text **t);
/* One query as text for a screen or popup (guarded; smem_free). */
char *ui_query_compose(const struct query_info *q, const struct query_text *t);
/* Draws text from row down to last, wrapped at spaces; returns the row
 * after the text as if the screen went on (past last+1: it did not fit). */
int ui_query_draw_text(int row, int last, const char *text, int attr);
/* Shows a composed query in the read-only viewer (scrolls, / finds). */
void ui_query_read(struct ui *u, const char *text, int64_t id);
/* The keys the query and inbox lists share: moving (list l, rows from
 * top), ? help (title, help), q quit.  1 when k was one of them. */
int ui_query_list_key(struct ui *u, struct ui_list *l, int k, int top, const char *title, const char *help);
/* Menu: a physician's inbox (a supervisor: any physician's). */
void ui_inbox_run(struct ui *u);

/* ---- completeness (ui_queue.c) ------------------------------------------ */
/* Menu: the incomplete-chart queue (supervisor; technician read-mostly). */
void ui_queue_run(struct ui *u);

/* ---- reports (ui_reports.c) -------------------------------------------- */
/* Menu: the department reports (supervisor): pick one, the period, then the
 * table with a bar chart of `#`, scrollable. */
void ui_reports_run(struct ui *u);
/* Chart key L: the patient's disclosure ledger and accounting, and for a
 * role that may (supervisor) the access report, in one scrollable screen. */
void ui_disclosures_run(struct ui *u, const char *mrn);

/* ---- release of information (ui_roi.c, ui_roi_request.c) --------------- */
/* Menu: the ROI worklist, open requests of every patient, oldest due first
 * (A: closed ones too); Enter opens one, N logs a new one. */
void ui_roi_worklist_run(struct ui *u);
/* Chart key O: the patient's requests (chart already through the gate). */
void ui_roi_chart_run(struct ui *u, const char *mrn);
/* The request screen of request id on chart mrn (through the gate): the
 * heading, the documents and sections to pick, validate, release (the
 * packet placed only after the grant committed), deny, withdraw, extend. */
void ui_roi_request_run(struct ui *u, const char *mrn, int64_t id);

/* ---- exports (ui_export.c) ---------------------------------------------- */
/* Chart key X: the chart as a FHIR R4 Bundle in a file, internal or to a
 * person or agency (then recorded in the disclosure ledger). */
void ui_export_chart(struct ui *u, const char *mrn);
/* Menu: the de-identified research extract of every chart into a directory. */
void ui_export_deid_run(struct ui *u);

#define UI_PW_MAX 256

#endif
