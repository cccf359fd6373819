"""The application shell: start-up, main window, context and change hub, language, preferences, lock, help."""
