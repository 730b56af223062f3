"""The interactive chart: draws an ``analysis.figure`` FigureSpec with pyqtgraph."""
