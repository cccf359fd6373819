"""Qt side of the map: the pane, the page's bridge, the console-map:// scheme, the web profile."""
