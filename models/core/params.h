/* Parameters: one table of known keys with type, range and default, and sets of validated values.
 *
 * Every key a user can set (with --set, a platform host property, a deployment argument or an
 * experiment file) is described by a ParamSpec. Core keys live in params.c; each client model and
 * server policy declares its own keys, so a new model brings its parameters with it. */
#ifndef FTPSIM_PARAMS_H
#define FTPSIM_PARAMS_H

#include <glib.h>

G_BEGIN_DECLS

#define FTPSIM_PARAM_ERROR (ftpsim_param_error_quark())
GQuark ftpsim_param_error_quark(void);

typedef enum {
  FTPSIM_PARAM_ERROR_UNKNOWN_KEY,
  FTPSIM_PARAM_ERROR_BAD_VALUE,
  FTPSIM_PARAM_ERROR_SYNTAX,
} FtpsimParamError;

typedef enum {
  PARAM_INT,    /* whole number in [min, max] */
  PARAM_DOUBLE, /* real number in [min, max] */
  PARAM_CHOICE, /* one of a list of names */
  PARAM_STRING, /* text in a key-specific syntax, checked by the spec's validate hook */
} ParamType;

/* Returns a NULL-terminated list of names owned by the catalog (for choices that are model names). */
typedef const char *const *(*ParamChoicesFunc)(void);

/* PARAM_STRING: checks a value. Returns NULL and stores the canonical text in *canonical when it is
 * valid, else a static phrase saying what is wrong ("has an empty item"), for the error message. */
typedef const char *(*ParamValidateFunc)(const char *value, gchar **canonical);

typedef struct ParamSpec {
  const char *key;
  ParamType type;
  double min, max; /* PARAM_INT and PARAM_DOUBLE: inclusive range */
  const char *default_value;
  const char *const *choices;    /* PARAM_CHOICE: a static NULL-terminated list, or ... */
  ParamChoicesFunc choices_func; /* ... the catalog's names of a kind */
  ParamValidateFunc validate;    /* PARAM_STRING: the syntax check; NULL accepts any text as is */
  const char *syntax;            /* PARAM_STRING: what it accepts, for messages ("PORT[-PORT],...|none") */
  const char *unit;              /* "s", "bytes", "port", or NULL */
  const char *help;              /* one line */
} ParamSpec;

/* Every known key, core keys and models' keys, sorted by key (param_table.c). Owned by the library. */
const GPtrArray *params_all(void);
const ParamSpec *params_find(const char *key);
/* The core keys, those of no single model (params.c), terminated by key == NULL. */
const ParamSpec *params_core(void);
/* "a, b, c": the known keys, for error messages. Free with g_free. */
gchar *params_known_keys(void);
/* "unknown parameter 'client.start_prot' (did you mean 'client.start_port'? 'ftpsim params' lists every key)":
 * the nearest one or two keys, not all of them. Free with g_free. */
gchar *params_unknown_key_message(const char *key);
/* Whether key is in the namespace of some known key: its part up to the first dot ("network.") begins a
 * known key. Host properties in these namespaces are parameters, so a typo in one is an error. */
gboolean params_in_known_namespace(const char *key);
/* "1..65535", "session|host", "0..inf": what a key accepts, for error messages and listings. */
gchar *param_spec_accepted(const ParamSpec *spec);
/* Check a value against a spec; on success store its canonical text in *canonical (may be NULL). */
gboolean param_spec_validate(const ParamSpec *spec, const char *value, gchar **canonical, GError **error);

/* A full set of values: starts from the defaults, then assignments override them. */
typedef struct ParamSet ParamSet;

ParamSet *param_set_new(void);
ParamSet *param_set_copy(const ParamSet *set);
void param_set_free(ParamSet *set);
gboolean param_set_assign(ParamSet *set, const char *key, const char *value, GError **error);
/* "KEY=VALUE", as given to --set. */
gboolean param_set_assign_text(ParamSet *set, const char *assignment, GError **error);
/* Typed reads of a known key. Reading an unknown key, or with the wrong type, is a programming error. */
gint64 param_set_int(const ParamSet *set, const char *key);
double param_set_double(const ParamSet *set, const char *key);
const char *param_set_string(const ParamSet *set, const char *key);
/* A PARAM_CHOICE key's value as its index among the key's names: for a static list, the enum declared
 * beside the names in param_keys.h (param_set_choice(set, KEY_TCP_CLOSER) == TCP_CLOSER_CLIENT). */
gint param_set_choice(const ParamSet *set, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ParamSet, param_set_free)

G_END_DECLS

#endif
