"""Tools that make and serve the static site: not part of the app, and never in its bundle (the
build leaves this whole folder out). ``build``: the app into the site; ``serve``: the built
site on loopback with the headers a host should send."""
