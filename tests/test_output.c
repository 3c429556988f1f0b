/* The CSV writers (column tables, quoting, number formats), whole-or-absent output files, and README.md's
 * output-column tables, which must be what gen_columns writes. */
#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "check_main.h"
#include "csv.h"
#include "output.h"
#include "probe_commands_csv.h"
#include "readme_columns.h"
#include "number_text.h"
#include "params.h"
#include "report.h"
#include "schema.h"

/* What write() puts in a stream, as a string. */
typedef struct Captured {
  char *text;
  size_t length;
  FILE *stream;
} Captured;

static FILE *capture_start(Captured *captured)
{
  *captured = (Captured){0};
  captured->stream = open_memstream(&captured->text, &captured->length);
  ck_assert_ptr_nonnull(captured->stream);
  return captured->stream;
}

static char *capture_end(Captured *captured)
{
  fclose(captured->stream);
  return captured->text;
}

static gchar *joined_names(const ColumnTable *table)
{
  GString *names = g_string_new(NULL);
  for (guint i = 0; i < table->count; i++)
    g_string_append_printf(names, "%s%s", i ? "," : "", table->columns[i].name);
  return g_string_free(names, FALSE);
}

static SessionStats sample_stats(void)
{
  SessionStats stats;
  session_stats_init(&stats, 0.5);
  stats.commands = 3;
  stats.rejected = 2;
  stats.rejected_before_first_accept = 2;
  stats.first_accept_port = 1002;
  stats.first_accept_time = 0.75;
  stats.first_transfer_time = 1.25;
  stats.transfers = 1;
  stats.bytes = 65536;
  stats.end_time = 2;
  stats.data_commands = 3;
  stats.failed_commands = 2;
  stats.tarpit_delay = 0;
  stats.intended_commands = 4; /* one never issued */
  stats.start_port = 1000;
  stats.rejection_time = 0.25;
  return stats;
}

/* ---- sessions.csv ---- */

START_TEST(test_sessions_header_is_the_joined_column_names)
{
  Captured out;
  report_sessions_header(capture_start(&out));
  g_autofree char *header = capture_end(&out);
  g_autofree gchar *names = joined_names(&sessions_csv);
  g_autofree gchar *expected = g_strconcat(names, "\n", NULL);
  ck_assert_str_eq(header, expected);
  ck_assert_str_eq(header, "session,client_host,server_host,client_model,server_policy,start_time,commands,rejected,"
                           "rejected_before_first_accept,first_accept_port,first_accept_time,first_transfer_time,"
                           "transfers,bytes,end_time,outcome,data_commands,failed_commands,connection_failures,"
                           "time_wait_failures,refused_failures,unreachable_failures,client_port_busy_failures,retries,"
                           "pasv_transfers,fallback_time,tarpit_delay,middlebox_rejected,middlebox_dropped,"
                           "middlebox_data_blocked,nat_port_moves,middlebox_end,intended_commands,unissued_commands,"
                           "lost_commands,start_port,rejection_time\n");
}
END_TEST

START_TEST(test_session_row_for_given_stats_is_the_exact_line)
{
  const SessionStats stats = sample_stats();
  const SessionRecord record = {.id = 7,
                                .client_host = "as400",
                                .server_host = "nt351",
                                .client_model = "as400",
                                .server_policy = "nt351sp2",
                                .stats = &stats};
  Captured out;
  report_session_row(capture_start(&out), &record);
  g_autofree char *row = capture_end(&out);
  ck_assert_str_eq(row, "7,as400,nt351,as400,nt351sp2,0.500000000,3,2,2,1002,0.750000000,1.250000000,1,65536,"
                        "2.000000000,partial,3,2,0,0,0,0,0,0,0,,0.000000000,0,0,0,0,,4,1,3,1000,0.250000000\n");
}
END_TEST

START_TEST(test_session_row_leaves_what_did_not_happen_empty)
{
  SessionStats stats;
  session_stats_init(&stats, 0);
  stats.end_time = 1;
  const SessionRecord record = {.id = 1,
                                .client_host = "c",
                                .server_host = "s",
                                .client_model = "as400",
                                .server_policy = "nt351",
                                .stats = &stats};
  Captured out;
  report_session_row(capture_start(&out), &record);
  g_autofree char *row = capture_end(&out);
  /* no accepted port, no accept, no transfer, no PASV fallback */
  ck_assert_str_eq(row, "1,c,s,as400,nt351,0.000000000,0,0,0,,,,0,0,1.000000000,ok,0,0,0,0,0,0,0,0,0,,0.000000000,0,0,"
                        "0,0,,0,0,0,,0.000000000\n");
}
END_TEST

START_TEST(test_host_name_with_a_comma_is_quoted)
{
  const SessionStats stats = sample_stats();
  const SessionRecord record = {.id = 1,
                                .client_host = "lab,1",
                                .server_host = "say \"hi\"",
                                .client_model = "as400",
                                .server_policy = "nt351",
                                .stats = &stats};
  Captured out;
  report_session_row(capture_start(&out), &record);
  g_autofree char *row = capture_end(&out);
  ck_assert(g_str_has_prefix(row, "1,\"lab,1\",\"say \"\"hi\"\"\",as400,nt351,"));
}
END_TEST

/* ---- commands.csv ---- */

START_TEST(test_commands_header_is_the_joined_column_names)
{
  Captured out;
  report_commands_header(capture_start(&out));
  g_autofree char *header = capture_end(&out);
  g_autofree gchar *names = joined_names(&commands_csv);
  g_autofree gchar *expected = g_strconcat(names, "\n", NULL);
  ck_assert_str_eq(header, expected);
  ck_assert_str_eq(header,
                   "time,session,client_host,server_host,command,port,reply_code,accepted,reply_text,failure\n");
}
END_TEST

START_TEST(test_command_row_is_the_exact_line)
{
  const PortRequest request = {.port = 1000, .address = 0xc000020a, .peer_address = 0xc000020a};
  const ExchangeRecord rejected = {.time = 0.000125,
                                   .session = 3,
                                   .client_host = "c",
                                   .server_host = "s",
                                   .command = "PORT",
                                   .port = 1000,
                                   .reply_code = 501,
                                   .accepted = FALSE,
                                   .reply_text = "Sorry, but I won't connect to ports < 1024",
                                   .request = request};
  const ExchangeRecord accepted = {.time = 12,
                                   .session = 3,
                                   .client_host = "c,2",
                                   .server_host = "s",
                                   .command = "EPRT",
                                   .port = 65535,
                                   .reply_code = 200,
                                   .accepted = TRUE,
                                   .reply_text = "PORT command successful",
                                   .reply_preamble = "FXP transfer: from {peer_address} to {address}",
                                   .request = {.port = 65535, .address = 0xc6336407, .peer_address = 0xc000020a}};
  const ExchangeRecord failed = {.time = 13,
                                 .session = 3,
                                 .client_host = "c",
                                 .server_host = "s",
                                 .command = "RETR",
                                 .port = 1025,
                                 .reply_code = 425,
                                 .reply_text = "Could not open data connection to port {port}: Connection refused",
                                 .request = {.port = 1025},
                                 .failure = DATA_FAILURE_REFUSED};
  const ExchangeRecord unsent = {.time = 14,
                                 .session = 3,
                                 .client_host = "c",
                                 .server_host = "s",
                                 .command = "LIST",
                                 .port = 1026,
                                 .failure = DATA_FAILURE_CLIENT_PORT_BUSY};
  Captured out;
  FILE *stream = capture_start(&out);
  report_command_row(stream, &rejected);
  report_command_row(stream, &accepted);
  report_command_row(stream, &failed);
  report_command_row(stream, &unsent);
  g_autofree char *rows = capture_end(&out);
  ck_assert_str_eq(rows, "0.000125000,3,c,s,PORT,1000,501,0,\"Sorry, but I won't connect to ports < 1024\",\n"
                         "12.000000000,3,\"c,2\",s,EPRT,65535,200,1,\"FXP transfer: from 192.0.2.10 to 198.51.100.7\n"
                         "PORT command successful\",\n"
                         "13.000000000,3,c,s,RETR,1025,425,0,Could not open data connection to port 1025: Connection "
                         "refused,refused\n"
                         "14.000000000,3,c,s,LIST,1026,,0,,client_port_busy\n");
}
END_TEST

START_TEST(test_probe_commands_extend_the_simulators_columns)
{
  g_autofree gchar *simulator = joined_names(&commands_csv);
  g_autofree gchar *probe = joined_names(&probe_commands_csv);
  /* Both carry the reply's text; the simulator adds why a data command failed, the probe the prediction and
   * what it saw of the data connection. */
  ck_assert_str_eq(simulator,
                   "time,session,client_host,server_host,command,port,reply_code,accepted,reply_text,failure");
  ck_assert_str_eq(probe, "time,session,client_host,server_host,command,port,reply_code,accepted,reply_text,"
                          "expected_code,expected_text,address,listening,connected_before_reply,preliminary_code,"
                          "preliminary_text,data_source,bytes,stalled,session_closed");
}
END_TEST

START_TEST(test_probe_command_row_has_six_decimals_and_the_prediction)
{
  const ProbeExchangeRow predicted = {.exchange = {.time = 0.25,
                                                   .session = 1,
                                                   .client_host = "127.0.0.1",
                                                   .server_host = "127.0.0.1:2121",
                                                   .command = "PORT",
                                                   .port = 1022,
                                                   .reply_code = 500,
                                                   .accepted = FALSE},
                                      .reply_text = "Illegal PORT command.",
                                      .expected_code = 500,
                                      .expected_text = "Illegal PORT command.",
                                      .address = "127.0.0.2",
                                      .listening = TRUE,
                                      .connected_before_reply = 0,
                                      .preliminary_code = -1,
                                      .bytes = -1};
  const ProbeExchangeRow data = {.exchange = {.time = 1,
                                              .session = 1,
                                              .client_host = "127.0.0.1",
                                              .server_host = "127.0.0.1:2121",
                                              .command = "NLST",
                                              .port = 1024,
                                              .reply_code = 226,
                                              .accepted = TRUE},
                                 .reply_text = "Directory send OK.",
                                 .expected_code = -1,
                                 .address = "127.0.0.1",
                                 .listening = TRUE,
                                 .connected_before_reply = -1,
                                 .preliminary_code = 150,
                                 .preliminary_text = "Here,\nthere",
                                 .data_source = "127.0.0.10:20",
                                 .bytes = 14};
  const ProbeExchangeRow closed = {
      .exchange = {.time = 2, .session = 1, .client_host = "c", .server_host = "s", .command = "NOOP", .port = 1024},
      .expected_code = -1,
      .address = "127.0.0.1",
      .connected_before_reply = -1,
      .preliminary_code = -1,
      .bytes = -1,
      .session_closed = TRUE};
  Captured out;
  FILE *stream = capture_start(&out);
  columns_write_row(stream, &probe_commands_csv, &predicted);
  columns_write_row(stream, &probe_commands_csv, &data);
  columns_write_row(stream, &probe_commands_csv, &closed);
  g_autofree char *rows = capture_end(&out);
  ck_assert_str_eq(rows, "0.250000,1,127.0.0.1,127.0.0.1:2121,PORT,1022,500,0,Illegal PORT command.,500,Illegal PORT "
                         "command.,127.0.0.2,1,0,,,,,0,0\n"
                         "1.000000,1,127.0.0.1,127.0.0.1:2121,NLST,1024,226,1,Directory send OK.,,,127.0.0.1,1,,150,"
                         "\"Here,\nthere\",127.0.0.10:20,14,0,0\n"
                         "2.000000,1,c,s,NOOP,1024,,0,,,,127.0.0.1,0,,,,,,0,1\n");
}
END_TEST

/* ---- summary.csv ---- */

#define PLATFORM                                                                                                       \
  "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">"  \
  "<zone id=\"z\" routing=\"Full\">"                                                                                   \
  "<host id=\"c\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/></host>"                                    \
  "<host id=\"s\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/></host></zone></platform>"

START_TEST(test_summary_is_platform_seed_every_parameter_then_the_metrics)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Scenario) scenario = scenario_load("lab,1.xml", PLATFORM, strlen(PLATFORM), NULL, NULL, &error);
  ck_assert_msg(scenario != NULL, "%s", error ? error->message : "");
  const SessionStats stats = sample_stats();
  RunStats run;
  run_stats_init(&run);
  run_stats_add(&run, &stats);
  Captured out;
  report_summary(capture_start(&out), scenario, 42, &run, 2.5);
  g_autofree char *text = capture_end(&out);
  run_stats_clear(&run);

  GString *keys = g_string_new(NULL), *values = g_string_new(NULL);
  const GPtrArray *params = params_all();
  for (guint i = 0; i < params->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(params, i);
    g_autofree gchar *value = scenario_effective_value(scenario, spec->key);
    g_string_append_printf(keys, ",%s", spec->key);
    g_string_append_c(values, ',');
    csv_append_field(values, value);
  }
  g_autofree gchar *expected = g_strdup_printf(
      "platform,seed%s,mixed_keys,sessions,commands,rejected,sessions_with_rejection,sessions_without_accept,"
      "mean_rejected_before_first_accept,max_rejected_before_first_accept,transfers,bytes,first_accept_time,"
      "first_transfer_time,simulated_time,data_commands,failed_commands,connection_failures,time_wait_failures,"
      "refused_failures,unreachable_failures,client_port_busy_failures,retries,pasv_fallbacks,aborted,disconnected,"
      "banned,ended_by_server,stalled,ended_by_middlebox,middlebox_rejected,middlebox_dropped,"
      "middlebox_data_blocked,nat_port_moves,intended_commands,unissued_commands,lost_commands,rejection_time,"
      "median_rejected_before_first_accept,p95_rejected_before_first_accept,median_time_to_first_accept,"
      "p95_time_to_first_accept,max_time_to_first_accept\n"
      "\"lab,1.xml\",42%s,,1,3,2,1,0,2,2,1,65536,0.750000000,1.250000000,2.500000000,3,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
      "0,0,0,4,1,3,0.250000000,2,2,0.250000000,0.250000000,0.250000000\n",
      keys->str, values->str);
  g_string_free(keys, TRUE);
  g_string_free(values, TRUE);
  ck_assert_str_eq(text, expected);
}
END_TEST

#define TWO_CLIENTS                                                                                                    \
  "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">"  \
  "<zone id=\"z\" routing=\"Full\">"                                                                                   \
  "<host id=\"a\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"                                           \
  "<prop id=\"client.start_port\" value=\"900\"/><prop id=\"client.model\" value=\"fixed\"/></host>"                   \
  "<host id=\"b\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"                                           \
  "<prop id=\"client.start_port\" value=\"1000\"/><prop id=\"session.think_time\" value=\"0.025\"/></host>"            \
  "<host id=\"s\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/></host></zone></platform>"

/* The field of column name in a two-line CSV text (no quoted commas in the row). */
static gchar *summary_field(const char *text, const char *name)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", 3);
  g_auto(GStrv) names = g_strsplit(lines[0], ",", -1);
  g_auto(GStrv) fields = g_strsplit(lines[1], ",", -1);
  ck_assert_uint_eq(g_strv_length(names), g_strv_length(fields));
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp(names[i], name) == 0)
      return g_strdup(fields[i]);
  ck_abort_msg("no column %s", name);
  return NULL;
}

START_TEST(test_summary_leaves_a_mixed_key_empty_and_names_it)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Scenario) scenario = scenario_load("two.xml", TWO_CLIENTS, strlen(TWO_CLIENTS), NULL, NULL, &error);
  ck_assert_msg(scenario != NULL, "%s", error ? error->message : "");
  RunStats run;
  run_stats_init(&run);
  Captured out;
  report_summary(capture_start(&out), scenario, 1, &run, 0);
  g_autofree char *text = capture_end(&out);
  g_autofree gchar *start_port = summary_field(text, "client.start_port");
  g_autofree gchar *model = summary_field(text, "client.model");
  g_autofree gchar *think = summary_field(text, "session.think_time");
  g_autofree gchar *commands = summary_field(text, "session.commands");
  g_autofree gchar *mixed = summary_field(text, "mixed_keys");
  ck_assert_str_eq(start_port, "");
  ck_assert_str_eq(model, "");
  ck_assert_str_eq(think, "");
  ck_assert_str_eq(commands, "30");
  ck_assert_str_eq(mixed, "client.model client.start_port session.think_time");
  ck_assert_ptr_null(strstr(text, "mixed,"));
}
END_TEST

/* ---- column types and the schema ---- */

static ColumnType type_of(const ColumnTable *table, const char *name)
{
  for (guint i = 0; i < table->count; i++)
    if (strcmp(table->columns[i].name, name) == 0)
      return table->columns[i].type;
  ck_abort_msg("%s has no column %s", table->file, name);
  return COLUMN_TEXT;
}

START_TEST(test_column_types_are_what_the_writers_write)
{
  ck_assert_int_eq(type_of(&sessions_csv, "session"), COLUMN_INT);
  ck_assert_int_eq(type_of(&sessions_csv, "client_host"), COLUMN_TEXT);
  ck_assert_int_eq(type_of(&sessions_csv, "start_time"), COLUMN_FLOAT);
  ck_assert_int_eq(type_of(&sessions_csv, "first_accept_port"), COLUMN_INT);
  ck_assert_int_eq(type_of(&sessions_csv, "outcome"), COLUMN_TEXT);
  ck_assert_int_eq(type_of(&sessions_csv, "tarpit_delay"), COLUMN_FLOAT);
  ck_assert_int_eq(type_of(&summary_csv, "seed"), COLUMN_INT);
  ck_assert_int_eq(type_of(&summary_csv, "mixed_keys"), COLUMN_TEXT);
  ck_assert_int_eq(type_of(&summary_csv, "mean_rejected_before_first_accept"), COLUMN_FLOAT);
  ck_assert_int_eq(type_of(&commands_csv, "time"), COLUMN_FLOAT);
  ck_assert_int_eq(type_of(&commands_csv, "accepted"), COLUMN_INT);
  ck_assert_int_eq(type_of(&probe_commands_csv, "reply_text"), COLUMN_TEXT);
  ck_assert_int_eq(type_of(&probe_commands_csv, "expected_code"), COLUMN_INT);
  ck_assert_str_eq(column_type_name(COLUMN_TEXT), "text");
  ck_assert_str_eq(column_type_name(COLUMN_INT), "int");
  ck_assert_str_eq(column_type_name(COLUMN_FLOAT), "float");
  ck_assert_str_eq(column_type_name(COLUMN_PARAMS), "params");
}
END_TEST

START_TEST(test_schema_lists_every_column_with_its_type_and_each_key_with_its_own)
{
  static const ColumnTable *const tables[] = FTPSIM_README_COLUMN_TABLES;
  g_autofree gchar *json = column_schema_json(tables);
  ck_assert_ptr_nonnull(strstr(json,
                               "{\"file\": \"sessions.csv\", \"doc\": \"one row per session, in the order "
                               "sessions end\", \"columns\": [\n      {\"name\": \"session\", \"type\": \"int\"},"));
  ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"seed\", \"type\": \"int\"},\n"
                                     "      {\"name\": \"client.accept_timeout\", \"type\": \"float\"},\n"
                                     "      {\"name\": \"client.counter\", \"type\": \"text\"},\n"
                                     "      {\"name\": \"client.data_after_reject\", \"type\": \"text\"},"));
  ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"workload.rate\", \"type\": \"float\"},\n"
                                     "      {\"name\": \"mixed_keys\", \"type\": \"text\"},"));
  ck_assert_ptr_nonnull(
      strstr(json, "\"params\": {\n    \"client.accept_timeout\": \"float\",\n    \"client.counter\": \"text\",\n"));
  ck_assert_ptr_nonnull(strstr(json, "    \"tcp.time_wait\": \"float\",\n"));
  ck_assert_ptr_nonnull(strstr(json, "    \"session.commands\": \"int\",\n"));
  /* The schema names no group: every parameter is its own column. */
  ck_assert_ptr_null(strstr(json, "\"params\"}"));
  ck_assert_ptr_null(strstr(json, "one column per"));
}
END_TEST

/* ---- shortest round-trip numbers ---- */

START_TEST(test_number_text_is_the_shortest_that_reads_back)
{
  const struct {
    double value;
    const char *text;
  } cases[] = {
      {0.025, "0.025"},
      {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"}, /* needs 17 digits */
      {1.0 / 3, "0.3333333333333333"},    /* 16 */
      {240, "240"},
      {1e9, "1000000000"},
      {1e-9, "1e-09"},
      {5e-324, "4.94065645841247e-324"}, /* the smallest denormal: 15 digits read back */
      {-2.5, "-2.5"},
      {0, "0"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char text[NUMBER_TEXT_SIZE];
    int length = number_text_shortest(text, sizeof text, cases[i].value);
    ck_assert_str_eq(text, cases[i].text);
    ck_assert_int_eq(length, (int)strlen(cases[i].text));
    ck_assert(g_ascii_strtod(text, NULL) == cases[i].value);
  }
}
END_TEST

START_TEST(test_a_double_parameter_keeps_the_digits_given)
{
  const ParamSpec *spec = params_find("session.think_time");
  const char *cases[][2] = {{"0.025", "0.025"},
                            {"0.0250", "0.025"},
                            {"2.5e-2", "0.025"},
                            {"1e3", "1000"},
                            {"0.30000000000000004", "0.30000000000000004"}};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree gchar *canonical = NULL;
    ck_assert(param_spec_validate(spec, cases[i][0], &canonical, NULL));
    ck_assert_str_eq(canonical, cases[i][1]);
  }
}
END_TEST

/* ---- fields ---- */

START_TEST(test_fields_are_quoted_only_when_needed)
{
  const char *cases[][2] = {{"plain", "plain"},
                            {"a,b", "\"a,b\""},
                            {"say \"x\"", "\"say \"\"x\"\"\""},
                            {"two\nlines", "\"two\nlines\""},
                            {"cr\r", "\"cr\r\""},
                            {"", ""}};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    Captured out;
    csv_write_field(capture_start(&out), cases[i][0]);
    g_autofree char *written = capture_end(&out);
    GString *appended = g_string_new(NULL);
    csv_append_field(appended, cases[i][0]);
    ck_assert_str_eq(written, cases[i][1]);
    ck_assert_str_eq(appended->str, cases[i][1]);
    g_string_free(appended, TRUE);
  }
}
END_TEST

START_TEST(test_numbers_are_written_as_printf_would)
{
  Captured out;
  FILE *stream = capture_start(&out);
  csv_put_u64(stream, 0);
  fputc(' ', stream);
  csv_put_u64(stream, G_MAXUINT64);
  fputc(' ', stream);
  csv_put_time(stream, 1.0 / 3);
  fputc(' ', stream);
  csv_put_time_or_empty(stream, -1);
  fputc(' ', stream);
  csv_put_micro(stream, 2.0000005);
  fputc(' ', stream);
  csv_put_shortest(stream, 8.0 / 3);
  g_autofree char *text = capture_end(&out);
  g_autofree gchar *expected =
      g_strdup_printf("0 %" G_GUINT64_FORMAT " %.9f  %.6f %.17g", G_MAXUINT64, 1.0 / 3, 2.0000005, 8.0 / 3);
  ck_assert_str_eq(text, expected);
  ck_assert_str_eq(text, "0 18446744073709551615 0.333333333  2.000001 2.6666666666666665");
}
END_TEST

/* ---- whole-or-absent files ---- */

START_TEST(test_output_file_is_absent_until_committed_then_whole)
{
  g_autofree gchar *dir = g_dir_make_tmp("ftpsim-output-XXXXXX", NULL);
  g_autofree gchar *out_dir = g_build_filename(dir, "new", "out", NULL); /* created on open */
  g_autofree gchar *final = g_build_filename(out_dir, "sessions.csv", NULL);
  g_autoptr(GError) error = NULL;
  OutputFile file;
  ck_assert(output_file_open(&file, out_dir, "sessions.csv", &error));
  fputs("a,b\n1,2\n", file.stream);
  fflush(file.stream);
  ck_assert(!g_file_test(final, G_FILE_TEST_EXISTS));
  g_autofree gchar *temp = g_strdup(file.temp_path);
  ck_assert(g_file_test(temp, G_FILE_TEST_IS_REGULAR));
  ck_assert(output_file_commit(&file, &error));
  g_autofree gchar *text = NULL;
  ck_assert(g_file_get_contents(final, &text, NULL, NULL));
  ck_assert_str_eq(text, "a,b\n1,2\n");
  ck_assert(!g_file_test(temp, G_FILE_TEST_EXISTS));
  output_file_discard(&file); /* after a commit: only frees */
  ck_assert(g_file_test(final, G_FILE_TEST_IS_REGULAR));
  g_unlink(final);
  g_rmdir(out_dir);
  g_autofree gchar *parent = g_path_get_dirname(out_dir);
  g_rmdir(parent);
  g_rmdir(dir);
}
END_TEST

START_TEST(test_discarded_output_file_leaves_nothing)
{
  g_autofree gchar *dir = g_dir_make_tmp("ftpsim-output-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  OutputFile file;
  ck_assert(output_file_open(&file, dir, "summary.csv", &error));
  fputs("half a row", file.stream);
  output_file_discard(&file);
  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  ck_assert_ptr_null(g_dir_read_name(listing));
  g_rmdir(dir);
}
END_TEST

/* A run killed by SIGKILL leaves .NAME.HOST.PID.tmp behind: the next run into the folder removes those
 * of this machine's dead processes, and only those. */
START_TEST(test_stale_temp_files_of_dead_processes_are_removed)
{
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  ck_assert_int_gt(child, 0);
  ck_assert_int_eq(waitpid(child, NULL, 0), child); /* reaped: the pid names no process now */
  g_autofree gchar *dir = g_dir_make_tmp("ftpsim-output-XXXXXX", NULL);
  const char *host = g_get_host_name();
  g_autofree gchar *dead = g_strdup_printf("%s/.sessions.csv.%s.%ld.tmp", dir, host, (long)child);
  g_autofree gchar *alive = g_strdup_printf("%s/.sessions.csv.%s.%ld.tmp", dir, host, (long)getppid());
  g_autofree gchar *other_host = g_strdup_printf("%s/.sessions.csv.%s-elsewhere.%ld.tmp", dir, host, (long)child);
  g_autofree gchar *other_file = g_strdup_printf("%s/.summary.csv.%s.%ld.tmp", dir, host, (long)child);
  const char *const stale_or_not[] = {dead, alive, other_host, other_file};
  for (guint i = 0; i < G_N_ELEMENTS(stale_or_not); i++)
    ck_assert(g_file_set_contents(stale_or_not[i], "half a row", -1, NULL));

  g_autoptr(GError) error = NULL;
  OutputFile file;
  ck_assert(output_file_open(&file, dir, "sessions.csv", &error));
  ck_assert(!g_file_test(dead, G_FILE_TEST_EXISTS));
  ck_assert(g_file_test(alive, G_FILE_TEST_EXISTS));      /* its writer may still be running */
  ck_assert(g_file_test(other_host, G_FILE_TEST_EXISTS)); /* another machine's, on a shared folder */
  ck_assert(g_file_test(other_file, G_FILE_TEST_EXISTS)); /* removed when summary.csv is opened */
  output_file_discard(&file);
  for (guint i = 1; i < G_N_ELEMENTS(stale_or_not); i++)
    g_unlink(stale_or_not[i]);
  g_rmdir(dir);
}
END_TEST

START_TEST(test_output_folder_that_cannot_be_created_is_an_error)
{
  g_autoptr(GError) error = NULL;
  OutputFile file;
  ck_assert(!output_file_open(&file, "/proc/ftpsim-cannot-be-here", "sessions.csv", &error));
  ck_assert(g_str_has_prefix(error->message, "cannot create output folder '/proc/ftpsim-cannot-be-here': "));
  ck_assert_ptr_null(file.stream);
}
END_TEST

/* ---- the README ---- */

static const ColumnTable *const readme_tables[] = FTPSIM_README_COLUMN_TABLES;

START_TEST(test_readme_output_tables_are_the_column_tables)
{
  g_autofree gchar *readme = NULL;
  ck_assert(g_file_get_contents(FTPSIM_SOURCE_DIR "/README.md", &readme, NULL, NULL));
  const char *begin = strstr(readme, "<!-- columns:begin -->\n");
  const char *end = begin ? strstr(begin, "<!-- columns:end -->") : NULL;
  ck_assert_msg(end != NULL, "README.md has no <!-- columns:begin --> ... <!-- columns:end --> pair");
  begin += strlen("<!-- columns:begin -->\n");
  g_autofree gchar *section = g_strndup(begin, (gsize)(end - begin));
  g_autofree gchar *generated = column_tables_markdown(readme_tables);
  ck_assert_msg(strcmp(section, generated) == 0,
                "README.md's output-column tables differ from output/'s column tables: run '" GEN_COLUMNS
                " --update " FTPSIM_SOURCE_DIR "/README.md'");
}
END_TEST

START_TEST(test_every_column_is_documented)
{
  for (const ColumnTable *const *table = readme_tables; *table != NULL; table++)
    for (guint i = 0; i < (*table)->count; i++) {
      const Column *column = &(*table)->columns[i];
      ck_assert_msg(column->doc != NULL && column->doc[0] != '\0', "%s: column %s has no meaning", (*table)->file,
                    column->name);
      ck_assert_msg(strchr(column->doc, '|') == NULL, "%s: column %s: a | would end the README's table cell",
                    (*table)->file, column->name);
    }
}
END_TEST

static Suite *output_suite(void)
{
  Suite *suite = suite_create("output");
  TCase *rows = tcase_create("rows");
  tcase_add_test(rows, test_sessions_header_is_the_joined_column_names);
  tcase_add_test(rows, test_session_row_for_given_stats_is_the_exact_line);
  tcase_add_test(rows, test_session_row_leaves_what_did_not_happen_empty);
  tcase_add_test(rows, test_host_name_with_a_comma_is_quoted);
  tcase_add_test(rows, test_commands_header_is_the_joined_column_names);
  tcase_add_test(rows, test_command_row_is_the_exact_line);
  tcase_add_test(rows, test_probe_commands_extend_the_simulators_columns);
  tcase_add_test(rows, test_probe_command_row_has_six_decimals_and_the_prediction);
  tcase_add_test(rows, test_summary_is_platform_seed_every_parameter_then_the_metrics);
  tcase_add_test(rows, test_summary_leaves_a_mixed_key_empty_and_names_it);
  tcase_add_test(rows, test_column_types_are_what_the_writers_write);
  tcase_add_test(rows, test_schema_lists_every_column_with_its_type_and_each_key_with_its_own);
  suite_add_tcase(suite, rows);
  TCase *fields = tcase_create("fields");
  tcase_add_test(fields, test_fields_are_quoted_only_when_needed);
  tcase_add_test(fields, test_numbers_are_written_as_printf_would);
  tcase_add_test(fields, test_number_text_is_the_shortest_that_reads_back);
  tcase_add_test(fields, test_a_double_parameter_keeps_the_digits_given);
  suite_add_tcase(suite, fields);
  TCase *files = tcase_create("files");
  tcase_add_test(files, test_output_file_is_absent_until_committed_then_whole);
  tcase_add_test(files, test_discarded_output_file_leaves_nothing);
  tcase_add_test(files, test_stale_temp_files_of_dead_processes_are_removed);
  tcase_add_test(files, test_output_folder_that_cannot_be_created_is_an_error);
  suite_add_tcase(suite, files);
  TCase *readme = tcase_create("readme");
  tcase_add_test(readme, test_readme_output_tables_are_the_column_tables);
  tcase_add_test(readme, test_every_column_is_documented);
  suite_add_tcase(suite, readme);
  return suite;
}

int main(void)
{
  return check_main(output_suite);
}
