"""The debrief's charts (trust per channel and tension by round, key moments marked) drawn with matplotlib.

matplotlib is imported here, and this module only when a chart is drawn, so
the window starts in well under a second.
"""

from __future__ import annotations

from pathlib import Path

MOMENT_MARK = {"summit": "S", "broken": "B", "exposed": "X", "crisis": "C"}


def _figure(debrief, width_px: int, height_px: int, dpi: int = 100):
    # Font sizes in points are 13 at least: at 100 dpi that is 18 px, the smallest text the window uses.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#1f2530")
    rows = [r for r in debrief.rounds if r.round > 0]
    end = [r for r in debrief.rounds if r.round == 0]
    xs = [r.round for r in rows] + ([rows[-1].round + 1] if end and rows else [])
    series = rows + end
    ax1 = fig.add_subplot(2, 1, 1)
    ax2 = fig.add_subplot(2, 1, 2, sharex=ax1)
    styles = [("-", "o", "#56b4e9"), ("--", "s", "#e69f00"), (":", "^", "#009e73"), ("-.", "D", "#cc79a7")]
    names = [n for n, _ in series[0].trust] if series else []
    for n, name in enumerate(names):
        ls, mk, col = styles[n % len(styles)]
        ys = [dict(r.trust)[name] for r in series]
        ax1.plot(xs, [float("nan") if y is None else y for y in ys], ls, marker=mk, color=col, label=name, lw=2)
    ax2.plot(xs, [r.tension for r in series], "-", marker="o", color="#d55e00", lw=2, label="tension")
    for ax, title in ((ax1, "Trust"), (ax2, "Tension")):
        ax.set_facecolor("#14181f")
        ax.set_title(title, color="#f2f2f2", fontsize=14, loc="left")
        ax.tick_params(colors="#a9b3c2", labelsize=13)
        for s in ax.spines.values():
            s.set_color("#3a4558")
        ax.grid(True, color="#3a4558", lw=0.5)
    # Above the plot, right of its title: inside, it would hide the lines.
    ax1.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=max(len(names), 1), fontsize=13, frameon=False,
               labelcolor="#f2f2f2", borderaxespad=0.2, handlelength=1.6, columnspacing=1.0)
    from matplotlib.ticker import MaxNLocator

    ax2.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax1.set_ylim(0, 100)
    for m in debrief.moments:
        mark = MOMENT_MARK.get(m.kind)
        if mark is None:
            continue
        for ax in (ax1, ax2):
            ax.axvline(m.round, color="#f0e442", lw=1, ls=":")
        ax2.annotate(mark, (m.round, ax2.get_ylim()[1]), color="#f0e442", fontsize=13, ha="center", va="top")
    if end and rows:  # the last point is the end of the match, not a round of its own
        ticks = [x for x in xs[:-1] if x % 2 == 0] + [xs[-1]]
        ax2.set_xticks(ticks, [str(t) for t in ticks[:-1]] + ["end"])
    ax2.set_xlabel("round (S summit, B broken promise, X exposed claim, C crisis)", color="#a9b3c2", fontsize=13)
    fig.tight_layout()
    return fig


def chart_surface(debrief, width_px: int, height_px: int, text_px: int = 18):
    """The charts as a pygame surface of this size, their smallest text `text_px` pixels high."""
    import pygame
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure(debrief, max(width_px, 200), max(height_px, 160), dpi=round(100 * max(text_px, 18) / 18))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buf = canvas.buffer_rgba()
    w, h = canvas.get_width_height()
    return pygame.image.frombuffer(bytes(buf), (w, h), "RGBA").convert_alpha() if pygame.display.get_surface() \
        else pygame.image.frombuffer(bytes(buf), (w, h), "RGBA")


def _progress_figure(series: dict, rounds: int, width_px: int, height_px: int, text_px: int, crisis: int | None,
                     moments: bool = True):
    """The replay's figure: trust per channel and tension side by side on the whole match's rounds."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    dpi = round(100 * max(text_px, 18) / 18)
    w, h = max(width_px, 240), max(height_px, 140)
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor="#1f2530")
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    end = rounds + 1  # the end of the match (round 0 in the series) is drawn after the last round
    xs = [r if r > 0 else end for r in series.get("rounds", [])]
    styles = [("-", "o", "#56b4e9"), ("--", "s", "#e69f00"), (":", "^", "#009e73"), ("-.", "D", "#cc79a7")]
    for n, (name, ys) in enumerate(series.get("trust", {}).items()):
        ls, mk, col = styles[n % len(styles)]
        ax1.plot(xs[:len(ys)], [float("nan") if y is None else y for y in ys], ls, marker=mk, color=col, label=name,
                 lw=2, markersize=4)
    tension = series.get("tension", [])
    ax2.plot(xs[:len(tension)], tension, "-", marker="o", color="#d55e00", lw=2, markersize=4)
    every = 2 if rounds <= 12 else 3
    ticks = [x for x in range(every, rounds + 1, every) if end - x >= 2]  # room for "end" beside the last
    for ax, title in ((ax1, "Trust"), (ax2, "Tension")):
        ax.set_facecolor("#14181f")
        ax.set_title(title, color="#f2f2f2", fontsize=13, loc="left", pad=3)
        ax.tick_params(colors="#a9b3c2", labelsize=13, pad=2)
        for sp in ax.spines.values():
            sp.set_color("#3a4558")
        ax.grid(True, color="#3a4558", lw=0.5)
        ax.set_xlim(0.5, end + 0.5)
        ax.set_xticks(ticks + [end], [str(t) for t in ticks] + ["end"])
    ax1.set_ylim(0, 100)
    ax1.yaxis.set_major_locator(MaxNLocator(nbins=3))
    ax2.set_ylim(0, max(crisis or 0, max(tension, default=0), 1) + 0.5)
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    top = 1.0
    if series.get("trust"):  # one legend across the top of both charts: beside a half-width chart it would squeeze it
        fig.legend(*ax1.get_legend_handles_labels(), loc="upper right", ncol=len(series["trust"]), fontsize=13,
                   frameon=False, labelcolor="#f2f2f2", borderaxespad=0.1, handlelength=1.4, columnspacing=0.8,
                   handletextpad=0.3)
        top = 1.0 - (text_px * 1.6) / h
    for m in series.get("moments", ()) if moments else ():
        mark = MOMENT_MARK.get(m.kind)
        if mark is None:
            continue
        x = m.round if m.round > 0 else end
        for ax in (ax1, ax2):
            ax.axvline(x, color="#f0e442", lw=1, ls=":")
        ax2.annotate(mark, (x, ax2.get_ylim()[1]), color="#f0e442", fontsize=13, ha="center", va="top")
    fig.tight_layout(pad=0.4, w_pad=1.0, rect=(0, 0, 1, top))
    return fig, (ax1, ax2)


def _rendered(fig):
    """Draw a figure and hand it over as a pygame surface."""
    import pygame
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    cw, ch = canvas.get_width_height()
    surf = pygame.image.frombuffer(bytes(canvas.buffer_rgba()), (cw, ch), "RGBA")
    return surf.convert_alpha() if pygame.display.get_surface() else surf


def progress_surface(series: dict, rounds: int, width_px: int, height_px: int, text_px: int = 18,
                     crisis: int | None = None):
    """The replay's charts up to the shown step (game.replaying's `series`): trust per channel and tension side by
    side on the whole match's rounds, so the lines grow as the replay goes on; moments marked as in the debrief."""
    fig, _ = _progress_figure(series, rounds, width_px, height_px, text_px, crisis)
    return _rendered(fig)


class ProgressChart:
    """The replay's charts drawn once for the whole match, then shown up to any step by covering what follows.

    matplotlib takes a tenth of a second or more per figure, too slow for a jump; a blit and a cover are not.
    The moments are drawn here too, each only once it has happened (a summit late in a round is not shown
    at the round's start).
    """

    def __init__(self, full_series: dict, rounds: int, width_px: int, height_px: int, text_px: int = 18,
                 crisis: int | None = None) -> None:
        fig, axes = _progress_figure(full_series, rounds, width_px, height_px, text_px, crisis, moments=False)
        self.full = _rendered(fig)
        for ax in axes:  # the same axes, grid and legend without the data: what covers the future
            for line in list(ax.lines):
                line.remove()
        self.blank = _rendered(fig)
        height = self.full.get_height()
        self.end = rounds + 1
        # Each plot's data area in surface pixels (matplotlib counts y from the bottom) and its x range.
        self.plots = []
        for ax in axes:
            box = ax.get_window_extent()
            x0, x1 = ax.get_xlim()
            self.plots.append((round(box.x0), round(height - box.y1), round(box.x1), round(height - box.y0), x0, x1))
        self.text_px = text_px

    def x_px(self, plot: int, x: float) -> int:
        """The pixel column of round `x` in plot 0 (trust) or 1 (tension)."""
        left, _, right, _, x0, x1 = self.plots[plot]
        return round(left + (x - x0) / (x1 - x0) * (right - left))

    def draw(self, target, topleft: tuple[int, int], series: dict) -> None:
        """Blit the charts showing `series` (the replay's series up to the current step): the rest is covered."""
        import pygame

        ox, oy = topleft
        target.blit(self.full, topleft)
        shown = [r if r > 0 else self.end for r in series.get("rounds", [])]
        if not shown or shown[-1] != self.end:
            last = shown[-1] if shown else 0.0
            for n, (left, top, right, bottom, _, _) in enumerate(self.plots):
                cut = self.x_px(n, last) + 6 if shown else left  # past the last point's marker
                if cut < right:
                    area = pygame.Rect(cut, top, right - cut, bottom - top)
                    target.blit(self.blank, (ox + area.x, oy + area.y), area)
        from game.ui.text import INK
        from game.ui.theme import colour

        for m in series.get("moments", ()):
            mark = MOMENT_MARK.get(m.kind)
            if mark is None:
                continue
            x = m.round if m.round > 0 else self.end
            for n, (_, top, _, bottom, _, _) in enumerate(self.plots):
                px = ox + self.x_px(n, x)
                for y in range(oy + top, oy + bottom, 6):  # dotted, as the debrief's
                    pygame.draw.line(target, colour("focus"), (px, y), (px, min(y + 2, oy + bottom)))
            # Beside its line, not on it: a dotted line through an S reads as a $.
            INK.line(target, mark, (ox + self.x_px(1, x) + 3, oy + self.plots[1][1] + 2), self.text_px, role="focus")


def export_pdf(debrief, lines: list[str], path: Path) -> Path:
    """The debrief as a two-page PDF for the class: the text, then the charts."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path) as pdf:
        fig = Figure(figsize=(8.27, 11.69))
        fig.text(0.06, 0.97, "\n".join(lines[:70]), va="top", ha="left", fontsize=8, family="monospace")
        pdf.savefig(fig)
        chart = _figure(debrief, 1100, 800)
        pdf.savefig(chart, facecolor=chart.get_facecolor())
    return path
