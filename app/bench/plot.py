# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vpair authors
#
# plot.py DAT PNG [SUBTITLE]: the plot of plot.gp with matplotlib, for machines without gnuplot.
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
names = [r[1] for r in rows]
med = [float(r[2]) for r in rows]
err = [[m - float(r[3]) for m, r in zip(med, rows)], [float(r[4]) - m for m, r in zip(med, rows)]]
colors = {"0": "#7f7f7f", "1": "#1f77b4", "2": "#ff7f0e"}
fig, ax = plt.subplots(figsize=(12, 6.5))
ax.bar(range(len(rows)), med, yerr=err, color=[colors[r[5]] for r in rows], capsize=3)
for i, m in enumerate(med):
    ax.annotate("%.2f" % m, (i, m), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=8)
ax.set_yscale("log")
ax.set_xticks(range(len(rows)))
ax.set_xticklabels(names, rotation=30, ha="right")
ax.set_ylabel("Mpps (bar: median over runs, whiskers: min-max)")
ax.set_title("dpdk-testpmd forwarding rate, 1 forwarding lcore, burst 32\n" +
             (sys.argv[3] if len(sys.argv) > 3 else ""))
ax.grid(axis="y", which="both", alpha=0.3)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
