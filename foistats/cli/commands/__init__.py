"""One module per command: options parsed here, work done by the library, output by `foistats.publish.render`."""
