#!/bin/sh
# plot.sh LOG OUT.svg - draw a vCPU progress log as an SVG picture (sh + awk).
# Reads LOG, one record a line ('#' comments and unknown kinds are ignored):
#   name ID LABEL...   vcpu T_MS ID COUNT   call T_MS MODE N
#   fail T_MS ID TEXT...   title TEXT...
# Writes OUT.svg: one band per vCPU (own y scale, max printed, label at left)
# with COUNT over time, a red X per fail (reason as tooltip), a strip of call
# ticks per mode aggregated into pixel columns, and a time axis in seconds.
# Exit 2 on bad arguments, 1 if LOG has no vcpu samples.
usage() { echo "usage: $0 LOG OUT.svg" >&2; exit 2; }
[ $# -eq 2 ] || usage
if [ ! -f "$1" ] || [ ! -r "$1" ]; then echo "$0: cannot read log '$1'" >&2; usage; fi
tmp="$2.tmp.$$"
trap 'rm -f "$tmp"' EXIT
PLOT_SRC="$1" awk '
function num(s) { return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s); gsub(/[\001-\010\013\014\016-\037\177]/, "", s); return s
}
function rest(s, n) {	# the line without its first n fields
	sub(/^[ \t]+/, "", s); while (n-- > 0) sub(/^[^ \t]+[ \t]*/, "", s)
	sub(/[ \t]+$/, "", s); return s
}
function seen(t) { if (t < t0) t0 = t; if (t > t1) t1 = t }
function addid(id) { if (!(id in band)) { band[id] = 0; ids[++nid] = id } }
function X(t) { return L + (t - t0) / (t1 - t0) * PW }
BEGIN { t0 = t1 = 0; src = ENVIRON["PLOT_SRC"] }
{ sub(/\r$/, "") }
/^[ \t]*#/ { next }
$1 == "title" { title = rest($0, 1); next }
$1 == "name" && $2 ~ /^[0-9]+$/ { name[$2 + 0] = rest($0, 2); next }
$1 == "vcpu" && num($2) && $3 ~ /^[0-9]+$/ && num($4) {
	id = $3 + 0; addid(id); k = ++ns[id]; st[id, k] = $2 / 1000; sc[id, k] = $4 + 0
	if (k == 1 || sc[id, k] > smax[id]) smax[id] = sc[id, k]
	nsamp++; seen($2 / 1000); next
}
$1 == "call" && num($2) && $3 != "" && num($4) {
	k = ++nc; ct[k] = $2 / 1000; cm[k] = $3; cn[k] = $4 + 0; seen(ct[k])
	if (!($3 in mtot)) ms[++nms] = $3
	mtot[$3] += cn[k]; next
}
$1 == "fail" && num($2) && $3 ~ /^[0-9]+$/ {
	k = ++nf; ft[k] = $2 / 1000; fid[k] = $3 + 0; fx[k] = rest($0, 3)
	addid(fid[k]); seen(ft[k]); next
}
END {
	if (!nsamp) { print "plot.sh: no vcpu samples in " src > "/dev/stderr"; exit 1 }
	if (t1 <= t0) t1 = t0 + 1
	for (i = 2; i <= nid; i++) {	# vCPUs in id order
		v = ids[i]; for (j = i - 1; j >= 1 && ids[j] > v; j--) ids[j + 1] = ids[j]
		ids[j + 1] = v
	}
	split("stop_machine single raw", km, " "); split("#1f77b4 #2ca02c #d62728", kc, " ")
	for (i = 1; i <= 3; i++) if (km[i] in mtot) { mo[++nmo] = km[i]; mcol[km[i]] = kc[i] }
	for (i = 1; i <= nms; i++) if (!(ms[i] in mcol)) { mo[++nmo] = ms[i]; mcol[ms[i]] = "#777" }
	split("#1f77b4 #ff7f0e #2ca02c #9467bd #8c564b #e377c2 #17becf #bcbd22 #7f7f7f #393b79", pal, " ")
	W = 1000; L = 180; PW = W - L - 20; T = 40; B = 90; RH = 18
	S = T + nid * B + 4; A = S + nmo * RH + 6; H = A + 42
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n", W, H, W, H
	printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
	printf "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", L, esc(title != "" ? title : src)
	# time axis: about 5-10 ticks at 1/2/5 x 10^n seconds, grid lines across the bands
	raw = (t1 - t0) / 7; e = log(raw) / log(10); fe = int(e); if (fe > e) fe--
	p = 10 ^ fe; f = raw / p; step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p
	k = int(t0 / step); if (k * step < t0) k++
	for (; k * step <= t1 + step * 1e-9; k++) {
		x = X(k * step)
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, T, x, A
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n", x, A, x, A + 5
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x, A + 17, k * step
	}
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, A, L + PW, A
	printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (s)</text>\n", L + PW / 2, A + 34
	for (i = 1; i <= nid; i++) {	# one band per vCPU, each with its own y scale
		id = ids[i]; band[id] = i; y0 = T + (i - 1) * B; top = y0 + 18; bot = y0 + B - 8
		col = pal[(i - 1) % 10 + 1]; m = smax[id] > 0 ? smax[id] : 1
		printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.6\"/>\n", L, y0 + 2, PW, B - 4, i % 2 ? "#eee" : "#f6f6f6"
		lab = (id in name) ? name[id] : "vcpu " id; short = lab	# cut long labels, full one as tooltip
		if (length(lab) > 25) { short = substr(lab, 1, 22); gsub(/[\200-\377]+$/, "", short); short = short "..." }
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\" font-weight=\"bold\"><title>%s</title>%s</text>\n", L - 8, y0 + B / 2, col, esc(lab), esc(short)
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">id %d, %d samples</text>\n", L - 8, y0 + B / 2 + 14, id, ns[id]
		printf "<text x=\"%d\" y=\"%d\" fill=\"#666\">max %.0f</text>\n", L + 4, y0 + 14, smax[id]
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>\n", L, top, L + PW, top
		if (!ns[id]) continue
		printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col
		for (k = 1; k <= ns[id]; k++) {	# keep the last sample of each pixel column
			x = X(st[id, k]); if (k < ns[id] && int(X(st[id, k + 1])) == int(x)) continue
			y = bot - sc[id, k] / m * (bot - top); printf " %.1f,%.1f", x, y
		}
		printf "\"/>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", x, y, col
	}
	for (k = 1; k <= nf; k++) {	# fails: red X in the middle of the vCPU band
		x = X(ft[k]); y = T + (band[fid[k]] - 0.5) * B
		printf "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"red\" stroke-width=\"3\">", x - 6, y - 6, x + 6, y + 6, x - 6, y + 6, x + 6, y - 6
		printf "<title>fail at %.3f s: %s</title></path>\n", ft[k], esc(fx[k])
	}
	for (k = 1; k <= nc; k++) {	# calls: sum N per mode and pixel column
		c = int(X(ct[k])); agg[cm[k], c] += cn[k]
		if (agg[cm[k], c] > amax[cm[k]]) amax[cm[k]] = agg[cm[k], c]
	}
	for (j = 1; j <= nmo; j++) {	# one tick row per mode, height by count
		md = mo[j]; y = S + (j - 1) * RH
		printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f6f6\"/>\n", L, y, PW, RH - 2
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%s: %.0f calls</text>\n", L - 8, y + RH - 5, mcol[md], esc(md), mtot[md]
		printf "<g stroke=\"%s\">\n", mcol[md]
		for (c = L; c <= L + PW; c++) if ((md, c) in agg) {
			h = amax[md] > 0 ? 3 + (RH - 5) * agg[md, c] / amax[md] : 3
			printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>\n", c + 0.5, y + RH - 2, c + 0.5, y + RH - 2 - h
		}
		printf "</g>\n"
	}
	printf "</svg>\n"
}' "$1" >"$tmp" || exit 1
mv "$tmp" "$2"
