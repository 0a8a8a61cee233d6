"""The window's menus: every command with its shortcut, built from one table.

`build_menus(window)` returns the actions by name, so the window can enable them as the session
changes and tests can trigger exactly what a person clicks.
"""

from types import SimpleNamespace

from PySide6.QtGui import QAction, QKeySequence

Key = QKeySequence.StandardKey

# menu title: rows of (action name, text, window method, shortcuts, status tip); None: separator
MENUS = {
    "&File": [
        ("open", "&Open Model…", "open_model_dialog", [Key.Open], "Load a saved model"),
        ("save", "&Save Model…", "save_model_dialog", [Key.Save], "Save the model in use"),
        ("shipped", "Use the &Shipped Model", "use_shipped_model", [],
         "Go back to the model that comes with nndraw"),
        None,
        ("open_run", "Open &Run…", "open_run_dialog", ["Ctrl+Shift+O"],
         "Open a saved run: its model, settings and curves"),
        ("save_run", "Save R&un…", "save_run_dialog", ["Ctrl+Shift+S"],
         "Save the model with its settings, seed and curves"),
        ("compare", "&Compare with Run…", "compare_run_dialog", [],
         "Overlay another run's accuracy on the plot"),
        ("clear_compare", "C&lear Comparison", "clear_comparison", [], None),
        None,
        # Ctrl+Q too: some platforms (offscreen, a bare X server) bind no key to Quit.
        ("quit", "&Quit", "close", [Key.Quit, "Ctrl+Q"], None),
    ],
    "&Drawing": [
        ("clear", "&Clear", "clear_drawing", ["Esc", "Ctrl+L"], "Clear the drawing"),
    ],
    "&Training": [
        ("train", "&Train", "train_from_panel", ["Ctrl+Return", "Ctrl+Enter"],
         "Train a fresh network"),
        ("stop", "S&top", "stop_training", ["Ctrl+."], "Stop training, keeping what was learned"),
        ("resume", "&Resume Training", "resume_training", [],
         "Finish the model's planned epochs, or train it further with the panel's settings"),
        ("teach", "T&each", "teach", [], "Fine-tune on your drawings mixed with MNIST"),
        ("measure", "&Measure the Model in Use", "measure_model", [],
         "Measure the model on the whole test set"),
        ("drawings", "Your &Drawings…", "show_personal_set", [], None),
    ],
    "&Help": [
        ("about", "&About nndraw", "show_about", [], None),
    ],
}

# Enabled only while nothing is training (the rest stay as they are).
IDLE_ONLY = ("open", "shipped", "open_run", "train", "resume", "teach", "measure")


def build_menus(window):
    """Add the menus to `window`'s menu bar; the actions, by name."""
    actions = SimpleNamespace()
    for title, rows in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for row in rows:
            if row is None:
                menu.addSeparator()
                continue
            name, text, method, shortcuts, tip = row
            action = QAction(text, window)
            action.setObjectName(f"{name}Action")
            if shortcuts:
                action.setShortcuts(_key_sequences(shortcuts))
            if tip:
                action.setStatusTip(tip)
            action.triggered.connect(lambda _checked=False, m=method: getattr(window, m)())
            menu.addAction(action)
            setattr(actions, name, action)
    return actions


def _key_sequences(shortcuts):
    """Each shortcut's key sequences (a standard key has the platform's own), once each."""
    sequences = []
    for shortcut in shortcuts:
        for sequence in (QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key)
                         else [QKeySequence(shortcut)]):
            if not sequence.isEmpty() and sequence not in sequences:
                sequences.append(sequence)
    return sequences


def set_running(actions, running):
    """Stop only while a job runs; the commands that would start or replace one only while
    none does."""
    actions.stop.setEnabled(running)
    for name in IDLE_ONLY:
        getattr(actions, name).setEnabled(not running)
