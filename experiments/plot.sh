#!/usr/bin/env bash
# Figures from an ftpsim sweep folder, drawn by gnuplot as OUT.png (pngcairo) and OUT.svg.
#
#   plot.sh kb     SWEEP_DIR OUT [--series KEY] [--x KEY] [--title T]
#       mean rejections before the first accepted PORT against the start port (runs.csv), one line
#       per server policy (the KB Q140424 figure)
#   plot.sh matrix SWEEP_DIR OUT [--rows KEY] [--cols KEY] [--title T]
#       two panels, client model (rows) by server policy (columns), from runs.csv: mean rejected PORT
#       commands per session, and the share of the data commands the sessions meant to issue that were
#       lost (failed, or never issued because the session ended first)
#   plot.sh bursts SWEEP_DIR OUT [--series KEY] [--bin SECONDS] [--title T]
#       rejected PORT commands over simulated time, summed per time bin by session start
#       (sessions.csv), one line per value of KEY
#   plot.sh cdf    SWEEP_DIR OUT [--series KEY] [--title T]
#       distribution (CDF) of rejected PORT commands per session (sessions.csv), one line per value
#       of KEY (default client.model)
#   plot.sh where  SWEEP_DIR OUT [--series KEY] [--title T]
#       what became of the data commands the users meant to issue (runs.csv: sessions x
#       session.commands), one stacked bar per value of KEY: completed, or failed at the client
#       (port busy), at a middlebox (dropped, closed, refused), at the server (refused), on the data
#       connection, or never sent because a middlebox ended the session
#
# KEY is any column of runs.csv (a parameter such as server.policy), or several joined with '+'
# (client.model+client.reaction). --where KEY=VALUE (repeatable) keeps only the sweep's points
# where KEY has that value. The CSV files must have no
# quoted fields (ftpsim writes none unless a host or platform name holds a comma).
# Lines differ by dash pattern and point shape as well as colour, so they read in black and white.
set -euo pipefail

usage() {
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
fail() {
  echo "plot.sh: $*" >&2
  exit 2
}

[ $# -ge 3 ] || usage
kind=$1 dir=$2 out=$3
shift 3
wheres=() series="" rows="client.model" cols="server.policy" xkey="client.start_port" bin="" title=""
while [ $# -gt 0 ]; do
  case $1 in
  --series) series=$2 ;;
  --rows) rows=$2 ;;
  --cols) cols=$2 ;;
  --x) xkey=$2 ;;
  --bin) bin=$2 ;;
  --title) title=$2 ;;
  --where) wheres+=("$2") ;;
  *) fail "unknown option '$1' (accepted: --series, --rows, --cols, --x, --bin, --where, --title)" ;;
  esac
  [ $# -ge 2 ] || fail "$1 needs a value"
  shift 2
done
command -v gnuplot >/dev/null || fail "gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
runs=$dir/runs.csv
sessions=$dir/sessions.csv
[ -r "$runs" ] || fail "no $runs (run 'ftpsim sweep ... --out $dir' first)"
need_sessions() { [ -r "$sessions" ] || fail "no $sessions (run the sweep with --sessions)"; }
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# awk prelude: col["name"] is the field number of a column in the file being read (header line);
# v(KEY) is a key's value in the current row, "v1 / v2" for a composite key k1+k2.
read_header='function v(k,   n, p, i, s) { n = split(k, p, "+"); if (n == 1) return $col[k]
    s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? " / " : "") $col[p[i]]; return s }
  FNR == 1 { delete col; for (i = 1; i <= NF; i++) col[$i] = i; next }'
check_column() { # file key[+key...]
  local part
  for part in ${2//+/ }; do
    head -n1 "$1" | tr ',' '\n' | grep -qx -- "$part" || fail "$1 has no column '$part' (columns: $(head -n1 "$1"))"
  done
}

# --where: copies of runs.csv and sessions.csv holding only the chosen points.
if [ ${#wheres[@]} -gt 0 ]; then
  conditions=""
  for where in "${wheres[@]}"; do
    [[ $where == *=* ]] || fail "--where '$where' is not KEY=VALUE"
    check_column "$runs" "${where%%=*}"
    conditions+="${where}"$'\n'
  done
  awk -F, -v conditions="$conditions" '
    BEGIN { n = split(conditions, c, "\n") }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
    function number(x) { return x ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/ }
    { for (i = 1; i < n; i++) { k = substr(c[i], 1, index(c[i], "=") - 1); w = substr(c[i], index(c[i], "=") + 1)
        # Numbers compare as numbers: --where x=0.0250 matches 0.025 in runs.csv.
        if (number(w) && number($col[k]) ? ($col[k] + 0 != w + 0) : ($col[k] != w)) next }
      print }' "$runs" >"$work/runs.csv"
  [ "$(wc -l <"$work/runs.csv")" -gt 1 ] || fail "no run of $runs matches ${wheres[*]}"
  if [ -r "$sessions" ]; then
    awk -F, 'FNR == 1 && FILENAME == ARGV[1] { next } FILENAME == ARGV[1] { keep[$1] = 1; next }
             FNR == 1 || ($1 in keep)' "$work/runs.csv" "$sessions" >"$work/sessions.csv"
    sessions=$work/sessions.csv
  fi
  runs=$work/runs.csv
fi

# Emits the gnuplot script twice, once per terminal; the caller's body is in $work/body.gp.
render() {
  for format in png svg; do
    {
      if [ "$format" = png ]; then
        echo "set terminal pngcairo size ${size:-1000,650} noenhanced font 'DejaVu Sans,12' linewidth 1.5"
      else
        echo "set terminal svg size ${size:-1000,650} dynamic noenhanced font 'DejaVu Sans,12' linewidth 1.5"
      fi
      echo "set output '$out.$format'"
      echo "set datafile separator '\t'"
      # Black, dark and mid grey with distinct dashes and points: readable without colour.
      echo "set linetype 1 lc rgb '#000000' dt 1 pt 7 ps 0.8"
      echo "set linetype 2 lc rgb '#555555' dt 2 pt 5 ps 0.8"
      echo "set linetype 3 lc rgb '#000000' dt 3 pt 9 ps 0.9"
      echo "set linetype 4 lc rgb '#777777' dt 4 pt 13 ps 0.9"
      echo "set linetype 5 lc rgb '#000000' dt 5 pt 4 ps 0.8"
      echo "set linetype 6 lc rgb '#555555' dt 6 pt 6 ps 0.8"
      echo "set linetype 7 lc rgb '#000000' dt (8,4,2,4) pt 8 ps 0.8"
      echo "set linetype 8 lc rgb '#777777' dt (2,6) pt 10 ps 0.8"
      echo "set linetype cycle 8"
      echo "set grid lc rgb '#dddddd' dt 1"
      echo "set key box opaque"
      cat "$work/body.gp"
    } >"$work/plot.$format.gp"
    gnuplot "$work/plot.$format.gp" || fail "gnuplot failed on $work/plot.$format.gp"
  done
  echo "plot.sh: wrote $out.png and $out.svg"
}

# One "plot" clause per series file $work/series.N with its title in $work/titles (line N+1).
series_clauses() { # style
  local n clauses="" i=0
  n=$(wc -l <"$work/titles")
  while [ "$i" -lt "$n" ]; do
    local name
    name=$(sed -n "$((i + 1))p" "$work/titles" | sed "s/'/''/g")
    clauses+="${clauses:+, }'$work/series.$i' using 1:2 with $1 lt $((i + 1))${2:+ $2} title '$name'"
    i=$((i + 1))
  done
  echo "$clauses"
}

# Splits "series<TAB>x<TAB>y" lines into one file per series, in first-seen order.
split_series() {
  awk -F'\t' -v dir="$work" '
    !($1 in id) { id[$1] = n++; print $1 > (dir "/titles") }
    { print $2 "\t" $3 > (dir "/series." id[$1]) }' "$1"
  [ -s "$work/titles" ] || fail "no data to plot in $dir"
}

# "server policy (server.policy)" for the usual keys, "a / b" for a composite key a+b.
axis_name() {
  case $1 in
  server.policy) echo "server policy (server.policy)" ;;
  client.model) echo "client model (client.model)" ;;
  *) echo "${1//+/ / }" ;;
  esac
}

case $kind in
kb)
  series=${series:-server.policy}
  check_column "$runs" "$series"
  check_column "$runs" "$xkey"
  # Mean over reps of the run's mean rejections before the first accepted PORT, per (series, x).
  awk -F, -v s="$series" -v x="$xkey" "$read_header"'
    { k = v(s) "\t" $col[x]; if (!(k in n)) order[m++] = k; sum[k] += $col["mean_rejected_before_first_accept"]; n[k]++ }
    END { for (i = 0; i < m; i++) print order[i] "\t" sum[order[i]] / n[order[i]] }' "$runs" |
    sort -t$'\t' -k1,1 -s -k2,2n >"$work/points"
  split_series "$work/points"
  cat >"$work/body.gp" <<EOF
set title "${title:-Rejected PORT commands before the first accepted one, by start port}"
set xlabel "client start port ($xkey, port number)"
set ylabel "rejected PORT commands before the first accept (per session)"
set key top right title "$series"
set arrow from 1024, graph 0 to 1024, graph 1 nohead dt 3 lc rgb '#888888'
set label "1024" at 1024, graph 0.97 offset 0.5,0 textcolor rgb '#555555'
set yrange [0:*]
plot $(series_clauses linespoints "pi $(( $(wc -l <"$work/series.0") / 20 + 1 ))")
EOF
  render
  ;;
matrix)
  check_column "$runs" "$rows"
  check_column "$runs" "$cols"
  check_column "$runs" lost_commands+intended_commands
  # Per (row, col), over all runs: rejected PORTs per session, and lost data commands as a share of
  # the intended ones (a session that lost 24 of 30 counts 24 of 30, not as "not failed").
  awk -F, -v r="$rows" -v c="$cols" "$read_header"'
    { k = v(r) "\t" v(c); rej[k] += $col["rejected"]; ses[k] += $col["sessions"]
      lost[k] += $col["lost_commands"]; meant[k] += $col["intended_commands"] }
    END { for (k in ses) printf "%s\t%.6g\t%.6g\n", k, (ses[k] ? rej[k] / ses[k] : 0), (meant[k] ? 100 * lost[k] / meant[k] : 0) }' \
    "$runs" >"$work/cells"
  [ -s "$work/cells" ] || fail "no data to plot in $dir"
  # Axis order: as the values first appear in runs.csv (the sweep's order).
  awk -F, -v r="$rows" "$read_header"' !seen[v(r)]++ { print v(r) }' "$runs" >"$work/rows"
  awk -F, -v c="$cols" "$read_header"' !seen[v(c)]++ { print v(c) }' "$runs" >"$work/cols"
  awk -F'\t' -v dir="$work" '
    FILENAME == dir "/rows" { ri[$1] = FNR - 1; next }
    FILENAME == dir "/cols" { ci[$1] = FNR - 1; next }
    { print ci[$2] "\t" ri[$1] "\t" $3 "\t" $4 }' "$work/rows" "$work/cols" "$work/cells" |
    sort -n -k1,1 -k2,2 >"$work/grid"
  xtics=$(awk '{ printf "%s\"%s\" %d", (NR > 1 ? ", " : ""), $0, NR - 1 }' "$work/cols")
  ytics=$(awk '{ printf "%s\"%s\" %d", (NR > 1 ? ", " : ""), $0, NR - 1 }' "$work/rows")
  ncols=$(wc -l <"$work/cols")
  nrows=$(wc -l <"$work/rows")
  # Room per panel: the row labels (about 8 px a character), the cells, the colour box.
  label_chars=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$work/rows")
  if [ "$ncols" -gt 4 ]; then # wide matrices: one panel above the other
    layout="2,1" size="$((8 * label_chars + 110 * ncols + 380)),$((2 * (260 + 45 * nrows)))"
  else
    layout="1,2" size="$((2 * (8 * label_chars + 110 * ncols + 360))),$((300 + 45 * nrows))"
  fi
  cat >"$work/body.gp" <<EOF
set multiplot layout $layout title "${title:-Client models against server policies}" font ',14'
set xtics ($xtics) rotate by -40 left
set ytics ($ytics)
set xrange [-0.5:$ncols-0.5]
set yrange [$nrows-0.5:-0.5]
set xlabel "$(axis_name "$cols")" offset 0,-1
set ylabel "$(axis_name "$rows")"
set grid noxtics noytics
set palette defined (0 '#ffffff', 1 '#8c8c8c')
set cbrange [0:*]
unset key
set title "mean rejected PORT commands per session"
set cblabel "rejected PORTs per session" offset 1,0
plot '$work/grid' using 1:2:3 with image, '' using 1:2:(sprintf('%.3g', \$3)) with labels font ',10'
set title "data commands lost (% of those the sessions meant to issue)"
set cblabel "lost data commands (%)" offset 1,0
set cbrange [0:100]
plot '$work/grid' using 1:2:4 with image, '' using 1:2:(sprintf('%.3g', \$4)) with labels font ',10'
unset multiplot
EOF
  render
  ;;
bursts)
  need_sessions
  if [ -n "$series" ]; then check_column "$runs" "$series"; fi
  # Series label per point (a parameter's value, or "all runs"); rejections summed per bin of
  # session start time; bins without a session appear as zero so the bursts stand out.
  end=$(awk -F, "$read_header"' { t = $col["end_time"]; if (t > m) m = t } END { print m + 0 }' "$sessions")
  bin=${bin:-$(awk -v e="$end" 'BEGIN { b = e / 96; print (b > 0 ? b : 1) }')}
  awk -F, -v s="$series" -v b="$bin" -v e="$end" "$read_header"'
    FILENAME == ARGV[1] { label[$col["point"]] = (s == "" ? "all runs" : s "=" v(s)); runs[label[$col["point"]]]++; next }
    { l = label[$col["point"]]; if (!(l in seen)) { seen[l] = 1; order[m++] = l }
      sum[l, int($col["start_time"] / b)] += $col["rejected"] }
    END { nb = int(e / b) + 1
          for (i = 0; i < m; i++) for (j = 0; j < nb; j++) printf "%s\t%.9g\t%.9g\n", order[i], j * b / 3600, sum[order[i], j] / runs[order[i]] }' \
    "$runs" "$sessions" >"$work/points"
  split_series "$work/points"
  cat >"$work/body.gp" <<EOF
set title "${title:-Rejected PORT commands over simulated time}"
set xlabel "simulated time (hours; sessions binned by start time, bins of $(printf '%.4g' "$bin") s)"
set ylabel "rejected PORT commands per bin (mean over reps)"
set key top left
set yrange [0:*]
set xrange [0:*]
plot $(series_clauses steps)
EOF
  render
  ;;
cdf)
  need_sessions
  series=${series:-client.model}
  check_column "$runs" "$series"
  # Empirical CDF: for each series, sorted per-session rejections v and the share of sessions <= v.
  awk -F, -v s="$series" "$read_header"'
    FILENAME == ARGV[1] { label[$col["point"]] = v(s); next }
    { print label[$col["point"]] "\t" $col["rejected"] }' "$runs" "$sessions" |
    sort -t$'\t' -k1,1 -s -k2,2n |
    awk -F'\t' '{ v[$1, ++n[$1]] = $2; if (!($1 in seen)) { seen[$1] = 1; order[m++] = $1 } }
      END { for (i = 0; i < m; i++) { l = order[i]
              for (j = 1; j <= n[l]; j++) if (j == n[l] || v[l, j + 1] != v[l, j]) printf "%s\t%s\t%.9g\n", l, v[l, j], j / n[l] } }' \
      >"$work/points"
  split_series "$work/points"
  cat >"$work/body.gp" <<EOF
set title "${title:-Distribution of rejected PORT commands per session}"
set xlabel "rejected PORT commands in a session"
set ylabel "share of sessions with at most that many (CDF)"
set key top left title "$series"
set yrange [0:1.02]
set xrange [0:*]
set offsets 0, graph 0.04, 0, 0 # room to see a last step at the largest count
plot $(series_clauses steps)
EOF
  render
  ;;
where)
  series=${series:-client.model}
  check_column "$runs" "$series"
  check_column "$runs" "session.commands+ended_by_middlebox+middlebox_dropped+middlebox_rejected"
  # Per bar, shares (%) of the commands meant: each failed command counts once where it failed (one
  # PORT per command: the client reaction next-command).
  awk -F, -v s="$series" "$read_header"'
    { k = v(s); if (!(k in meant)) order[m++] = k
      meant[k] += $col["sessions"] * $col["session.commands"]; done[k] += $col["transfers"]
      client[k] += $col["client_port_busy_failures"]; dropped[k] += $col["middlebox_dropped"]
      closed[k] += $col["ended_by_middlebox"] - $col["middlebox_dropped"]; boxed[k] += $col["middlebox_rejected"]
      server[k] += $col["rejected"] - $col["middlebox_rejected"]
      data[k] += $col["connection_failures"] - $col["client_port_busy_failures"]
      unsent[k] += $col["sessions"] * $col["session.commands"] - $col["data_commands"] }
    END { for (i = 0; i < m; i++) { k = order[i]; t = meant[k] ? 100 / meant[k] : 0
            printf "%s\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\n", k, done[k] * t, client[k] * t,
                   dropped[k] * t, closed[k] * t, boxed[k] * t, server[k] * t, data[k] * t, unsent[k] * t } }' \
    "$runs" >"$work/bars"
  [ -s "$work/bars" ] || fail "no data to plot in $dir"
  size="$((700 + 70 * $(wc -l <"$work/bars"))),760"
  cat >"$work/body.gp" <<EOF
set title "${title:-Where the data commands fail}"
set style data histograms
set style histogram rowstacked
set style fill pattern 0 border lc rgb '#000000'
set boxwidth 0.75
set xtics rotate by -40 left
set xlabel "$(axis_name "$series")" offset 0,-1
set ylabel "share of the data commands meant (%)"
set yrange [0:100]
set key outside right top vertical
set grid noxtics
plot '$work/bars' using 2:xtic(1) title 'completed' fs pattern 0, \
  '' using 3 title 'client: port busy' fs pattern 1, \
  '' using 4 title 'middlebox: dropped (client timeout)' fs pattern 2, \
  '' using 5 title 'middlebox: connection closed' fs pattern 3, \
  '' using 6 title 'middlebox: refused' fs pattern 4, \
  '' using 7 title 'server: refused' fs pattern 5, \
  '' using 8 title 'data connection failed' fs pattern 6, \
  '' using 9 title 'not sent: session ended by a middlebox' fs pattern 7
EOF
  render
  ;;
*)
  usage
  ;;
esac
