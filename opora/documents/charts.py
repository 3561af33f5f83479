"""Pictures inside generated documents: a horizontal bar chart of shares (matplotlib).

Drawn with matplotlib's object API and the Agg canvas, without pyplot: no global state, safe
in a web worker's threads.
"""

from __future__ import annotations

import io
import textwrap

#: How many bars a chart shows (the first ones: the text lists the largest first).
MAX_BARS = 12
BAR_COLOUR = "#1f4e79"


def bar_chart_png(bars: list[tuple[str, float, str]]) -> bytes:
    """Bars of (label, value in per cent, note) as a PNG at 150 dpi, the first bar on top:
    «Наставничество ██████ 80 % (4 из 5)».
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    shown = bars[:MAX_BARS]
    rows = max(len(shown), 1)
    height = 1.0 + 0.5 * rows  # inches
    fig = Figure(figsize=(7.0, height), dpi=150)
    # Fixed margins instead of tight_layout(): one drawing of the figure instead of two.
    fig.subplots_adjust(left=0.45, right=0.98, top=1 - 0.15 / height, bottom=0.55 / height)
    ax = fig.add_subplot()
    labels = [
        textwrap.fill(textwrap.shorten(label, 110, placeholder="…"), 48) for label, _, _ in shown
    ]
    values = [value for _, value, _ in shown]
    positions = list(range(len(shown)))[::-1]
    drawn = ax.barh(positions, values, color=BAR_COLOUR, height=0.6)
    ax.set_yticks(positions, labels=labels, fontsize=6.5)
    ax.set_xlim(0, 128)  # room for the labels beside the longest bars
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0, symbol="\u00a0%"))
    ax.tick_params(axis="x", labelsize=7)
    for bar, (_, value, note) in zip(drawn, shown, strict=True):
        ax.text(
            bar.get_width() + 1.5,
            bar.get_y() + bar.get_height() / 2,
            f"{value:.0f} %" + (f" ({note})" if note else ""),
            va="center",
            fontsize=6.5,
        )
    ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()
