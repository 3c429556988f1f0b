/* Unit tests of typed settings, without SimGrid: what a ParamSet decodes into, and the choice enums
 * declared beside their names (param_keys.h) against the names the parameter table accepts. */
#include <check.h>
#include <stdlib.h>

#include "check_main.h"
#include "param_keys.h"
#include "catalog.h"
#include "params.h"
#include "scenario.h"
#include "settings.h"

static ParamSet *params_with(const char *const *assignments)
{
  ParamSet *params = param_set_new();
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++) {
    GError *error = NULL;
    gboolean assigned = param_set_assign_text(params, assignments[i], &error);
    ck_assert_msg(assigned, "%s", error ? error->message : "");
  }
  return params;
}

/* ---- client and server settings ---- */

START_TEST(test_defaults_decode_to_one_fixed_session_on_shared_control_and_actors)
{
  g_autoptr(ParamSet) params = param_set_new();
  ClientSettings settings;
  client_settings_init(&settings, params);
  ck_assert_str_eq(settings.reaction->name, "next-command");
  ck_assert_int_eq(settings.commands_dist, COUNT_FIXED);
  ck_assert_uint_eq(settings.mean_commands, 30);
  ck_assert_double_eq(settings.mix_list, 0);
  ck_assert_double_eq(settings.mix_retr, 1);
  ck_assert_double_eq(settings.mix_total, 1);
  ck_assert_int_eq(settings.file_size_dist, VALUE_FIXED);
  ck_assert_uint_eq(settings.file_size, 65536);
  ck_assert_uint_eq(settings.list_size, 2048);
  ck_assert_int_eq(settings.think_dist, VALUE_FIXED);
  ck_assert_double_eq(settings.think_time, 0);
  ck_assert(!settings.needs_rand);
  ck_assert_int_eq(settings.port_command, PORT_COMMAND_PORT);
  ck_assert_int_eq(settings.closer, TCP_CLOSER_SERVER);
  ck_assert_double_eq(settings.time_wait, 240);
  ck_assert_int_eq(settings.control, NETWORK_CONTROL_SHARED);
  ck_assert_int_eq(settings.engine, SESSION_ENGINE_ACTORS);
  ck_assert_int_eq(settings.arrival, ARRIVAL_AT_ONCE);
  ck_assert_double_eq(settings.arrival_interval, 1);
  ck_assert_double_eq(settings.arrival_rate, 1);
  client_settings_clear(&settings);
}
END_TEST

START_TEST(test_assignments_decode_to_their_enums_and_values)
{
  static const char *const assignments[] = {"session.commands_dist=geometric",
                                            "session.commands=5",
                                            "session.file_size_dist=exponential",
                                            "session.file_size=1000",
                                            "session.list_size=300",
                                            "session.think_dist=exponential",
                                            "session.think_time=0.5",
                                            "session.mix_list=1",
                                            "session.mix_stor=2",
                                            "client.port_command=eprt",
                                            "tcp.closer=client",
                                            "tcp.time_wait=60",
                                            "network.control=uncongested",
                                            "engine.sessions=event-loop",
                                            "workload.arrival=poisson",
                                            "workload.rate=20",
                                            "workload.interval=3",
                                            NULL};
  g_autoptr(ParamSet) params = params_with(assignments);
  ClientSettings settings;
  client_settings_init(&settings, params);
  ck_assert_int_eq(settings.commands_dist, COUNT_GEOMETRIC);
  ck_assert_uint_eq(settings.mean_commands, 5);
  ck_assert_int_eq(settings.file_size_dist, VALUE_EXPONENTIAL);
  ck_assert_uint_eq(settings.file_size, 1000);
  ck_assert_uint_eq(settings.list_size, 300);
  ck_assert_int_eq(settings.think_dist, VALUE_EXPONENTIAL);
  ck_assert_double_eq(settings.think_time, 0.5);
  ck_assert_double_eq(settings.mix_list, 1);
  ck_assert_double_eq(settings.mix_retr, 1);
  ck_assert_double_eq(settings.mix_total, 4);
  ck_assert(settings.needs_rand);
  ck_assert_int_eq(settings.port_command, PORT_COMMAND_EPRT);
  ck_assert_int_eq(settings.closer, TCP_CLOSER_CLIENT);
  ck_assert_double_eq(settings.time_wait, 60);
  ck_assert_int_eq(settings.control, NETWORK_CONTROL_UNCONGESTED);
  ck_assert_int_eq(settings.engine, SESSION_ENGINE_EVENT_LOOP);
  ck_assert_int_eq(settings.arrival, ARRIVAL_POISSON);
  ck_assert_double_eq(settings.arrival_rate, 20);
  ck_assert_double_eq(settings.arrival_interval, 3);
  client_settings_clear(&settings);
}
END_TEST

/* Each drawn quantity alone asks for the session's own stream; nothing drawn asks for none. */
START_TEST(test_any_drawn_quantity_alone_needs_the_session_stream)
{
  static const char *const one_each[] = {"session.commands_dist=uniform", "session.mix_stor=1",
                                         "session.file_size_dist=exponential", "session.think_dist=exponential"};
  for (guint i = 0; i < G_N_ELEMENTS(one_each); i++) {
    const char *const assignments[] = {one_each[i], NULL};
    g_autoptr(ParamSet) params = params_with(assignments);
    ClientSettings settings;
    client_settings_init(&settings, params);
    ck_assert_msg(settings.needs_rand, "%s", one_each[i]);
    client_settings_clear(&settings);
  }
  static const char *const undrawn[] = {"session.mix_retr=5", "session.think_time=2", "session.commands=9", NULL};
  g_autoptr(ParamSet) params = params_with(undrawn);
  ClientSettings settings;
  client_settings_init(&settings, params);
  ck_assert(!settings.needs_rand);
  client_settings_clear(&settings);
}
END_TEST

START_TEST(test_client_reaction_decodes_to_its_registry_entry_with_its_state)
{
  static const char *const assignments[] = {"client.reaction=retry", "client.retries=2", NULL};
  g_autoptr(ParamSet) params = params_with(assignments);
  ClientSettings settings;
  client_settings_init(&settings, params);
  ck_assert_ptr_eq(settings.reaction, client_reaction_find("retry", NULL));
  ck_assert_ptr_nonnull(settings.reaction_state);
  const RejectionFacts third = {.attempts = 3, .session_rejections = 3};
  ck_assert_int_eq(settings.reaction->on_rejection(settings.reaction_state, &third).action, REACTION_NEXT_COMMAND);
  client_settings_clear(&settings);
  ck_assert_ptr_null(settings.reaction_state);
}
END_TEST

START_TEST(test_server_settings_decode_reaction_and_time_wait)
{
  g_autoptr(ParamSet) defaults = param_set_new();
  ServerSettings settings;
  server_settings_init(&settings, defaults);
  ck_assert_ptr_eq(settings.reaction, server_reaction_find("none", NULL));
  ck_assert_double_eq(settings.time_wait, 240);

  static const char *const assignments[] = {"server.reaction=tarpit", "tcp.time_wait=60", NULL};
  g_autoptr(ParamSet) params = params_with(assignments);
  server_settings_init(&settings, params);
  ck_assert_ptr_eq(settings.reaction, server_reaction_find("tarpit", NULL));
  ck_assert_double_eq(settings.time_wait, 60);
}
END_TEST

/* ---- choices: the enums beside their names ---- */

typedef struct ChoiceKey {
  const char *key;
  gint count; /* of the enum declared beside the key */
} ChoiceKey;

/* Every static choice key of the core table, with its enum's count. */
static const ChoiceKey choice_keys[] = {
    {KEY_CLIENT_PORT_COMMAND, PORT_COMMAND_COUNT},         {KEY_TCP_CLOSER, TCP_CLOSER_COUNT},
    {KEY_NETWORK_CONTROL, NETWORK_CONTROL_COUNT},          {KEY_ENGINE_SESSIONS, SESSION_ENGINE_COUNT},
    {KEY_SESSION_COMMANDS_DIST, COUNT_DISTRIBUTION_COUNT}, {KEY_SESSION_FILE_SIZE_DIST, VALUE_DISTRIBUTION_COUNT},
    {KEY_SESSION_THINK_DIST, VALUE_DISTRIBUTION_COUNT},    {KEY_WORKLOAD_ARRIVAL, ARRIVAL_COUNT},
};

START_TEST(test_each_choice_enum_counts_as_many_values_as_its_key_accepts)
{
  for (guint i = 0; i < G_N_ELEMENTS(choice_keys); i++) {
    const ParamSpec *spec = params_find(choice_keys[i].key);
    ck_assert_ptr_nonnull(spec);
    ck_assert_int_eq(spec->type, PARAM_CHOICE);
    ck_assert_ptr_nonnull(spec->choices);
    ck_assert_msg((gint)g_strv_length((gchar **)spec->choices) == choice_keys[i].count, "%s", choice_keys[i].key);
  }
}
END_TEST

START_TEST(test_every_choice_name_round_trips_through_param_set_choice)
{
  for (guint i = 0; i < G_N_ELEMENTS(choice_keys); i++) {
    const char *const *names = params_find(choice_keys[i].key)->choices;
    for (gint value = 0; names[value] != NULL; value++) {
      g_autoptr(ParamSet) params = param_set_new();
      ck_assert(param_set_assign(params, choice_keys[i].key, names[value], NULL));
      ck_assert_int_eq(param_set_choice(params, choice_keys[i].key), value);
      ck_assert_str_eq(param_set_string(params, choice_keys[i].key), names[value]);
    }
  }
}
END_TEST

/* Models' own choices and model-name choices too: param_set_choice is the index in what the key lists. */
START_TEST(test_every_registered_choice_reads_back_as_its_index_among_its_names)
{
  const GPtrArray *all = params_all();
  guint choice_keys_seen = 0;
  for (guint i = 0; i < all->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(all, i);
    if (spec->type != PARAM_CHOICE)
      continue;
    choice_keys_seen++;
    const char *const *names = spec->choices_func != NULL ? spec->choices_func() : spec->choices;
    for (gint value = 0; names[value] != NULL; value++) {
      g_autoptr(ParamSet) params = param_set_new();
      ck_assert(param_set_assign(params, spec->key, names[value], NULL));
      ck_assert_msg(param_set_choice(params, spec->key) == value, "%s=%s", spec->key, names[value]);
    }
  }
  ck_assert_uint_ge(choice_keys_seen, G_N_ELEMENTS(choice_keys) + 4); /* and the four model-name keys */
}
END_TEST

/* The enum symbols name the values the key accepts, in the same order. */
START_TEST(test_choice_enumerators_name_the_values_they_stand_for)
{
  g_autoptr(ParamSet) params = param_set_new();
  const struct {
    const char *assignment, *key;
    gint value;
  } cases[] = {
      {"client.port_command=eprt", KEY_CLIENT_PORT_COMMAND, PORT_COMMAND_EPRT},
      {"tcp.closer=server", KEY_TCP_CLOSER, TCP_CLOSER_SERVER},
      {"network.control=uncongested", KEY_NETWORK_CONTROL, NETWORK_CONTROL_UNCONGESTED},
      {"engine.sessions=actors", KEY_ENGINE_SESSIONS, SESSION_ENGINE_ACTORS},
      {"session.commands_dist=uniform", KEY_SESSION_COMMANDS_DIST, COUNT_UNIFORM},
      {"session.file_size_dist=fixed", KEY_SESSION_FILE_SIZE_DIST, VALUE_FIXED},
      {"session.think_dist=exponential", KEY_SESSION_THINK_DIST, VALUE_EXPONENTIAL},
      {"workload.arrival=interval", KEY_WORKLOAD_ARRIVAL, ARRIVAL_INTERVAL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    ck_assert(param_set_assign_text(params, cases[i].assignment, NULL));
    ck_assert_msg(param_set_choice(params, cases[i].key) == cases[i].value, "%s", cases[i].assignment);
  }
}
END_TEST

/* Model-name choices are registry lookups; param_set_choice gives their index among the registry's names. */
START_TEST(test_param_set_choice_indexes_a_model_name_among_its_registry_names)
{
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert(param_set_assign(params, KEY_CLIENT_REACTION, "give-up", NULL));
  const char *const *names = catalog_names(MODEL_KIND_CLIENT_REACTION);
  ck_assert_str_eq(names[param_set_choice(params, KEY_CLIENT_REACTION)], "give-up");
}
END_TEST

START_TEST(test_every_key_symbol_names_a_registered_parameter_of_its_type)
{
  const struct {
    const char *key;
    ParamType type;
  } keys[] = {
      {KEY_CLIENT_MODEL, PARAM_CHOICE},           {KEY_SERVER_POLICY, PARAM_CHOICE},
      {KEY_CLIENT_REACTION, PARAM_CHOICE},        {KEY_SERVER_REACTION, PARAM_CHOICE},
      {KEY_CLIENT_SESSIONS, PARAM_INT},           {KEY_CLIENT_PORT_COMMAND, PARAM_CHOICE},
      {KEY_TCP_TIME_WAIT, PARAM_DOUBLE},          {KEY_TCP_CLOSER, PARAM_CHOICE},
      {KEY_NETWORK_CONTROL, PARAM_CHOICE},        {KEY_ENGINE_SESSIONS, PARAM_CHOICE},
      {KEY_SESSION_COMMANDS, PARAM_INT},          {KEY_SESSION_FILE_SIZE, PARAM_INT},
      {KEY_SESSION_LIST_SIZE, PARAM_INT},         {KEY_SESSION_MIX_LIST, PARAM_DOUBLE},
      {KEY_SESSION_MIX_RETR, PARAM_DOUBLE},       {KEY_SESSION_MIX_STOR, PARAM_DOUBLE},
      {KEY_SESSION_THINK_TIME, PARAM_DOUBLE},     {KEY_SESSION_COMMANDS_DIST, PARAM_CHOICE},
      {KEY_SESSION_FILE_SIZE_DIST, PARAM_CHOICE}, {KEY_SESSION_THINK_DIST, PARAM_CHOICE},
      {KEY_WORKLOAD_INTERVAL, PARAM_DOUBLE},      {KEY_WORKLOAD_RATE, PARAM_DOUBLE},
      {KEY_WORKLOAD_ARRIVAL, PARAM_CHOICE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
    const ParamSpec *spec = params_find(keys[i].key);
    ck_assert_msg(spec != NULL, "%s is not registered", keys[i].key);
    ck_assert_msg(spec->type == keys[i].type, "%s", keys[i].key);
  }
}
END_TEST

static Suite *settings_suite(void)
{
  Suite *suite = suite_create("settings");
  TCase *decoding = tcase_create("decoding");
  tcase_add_test(decoding, test_defaults_decode_to_one_fixed_session_on_shared_control_and_actors);
  tcase_add_test(decoding, test_assignments_decode_to_their_enums_and_values);
  tcase_add_test(decoding, test_any_drawn_quantity_alone_needs_the_session_stream);
  tcase_add_test(decoding, test_client_reaction_decodes_to_its_registry_entry_with_its_state);
  tcase_add_test(decoding, test_server_settings_decode_reaction_and_time_wait);
  suite_add_tcase(suite, decoding);

  TCase *choices = tcase_create("choices");
  tcase_add_test(choices, test_each_choice_enum_counts_as_many_values_as_its_key_accepts);
  tcase_add_test(choices, test_every_choice_name_round_trips_through_param_set_choice);
  tcase_add_test(choices, test_every_registered_choice_reads_back_as_its_index_among_its_names);
  tcase_add_test(choices, test_choice_enumerators_name_the_values_they_stand_for);
  tcase_add_test(choices, test_param_set_choice_indexes_a_model_name_among_its_registry_names);
  tcase_add_test(choices, test_every_key_symbol_names_a_registered_parameter_of_its_type);
  suite_add_tcase(suite, choices);
  return suite;
}

int main(void)
{
  return check_main(settings_suite);
}
