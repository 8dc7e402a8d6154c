package io.regionrouter.examples;

import io.regionrouter.testkit.LocalRegions;

/** What every step can use: the running regions and the console. */
final class DemoContext {

  final LocalRegions regions;
  final DemoConsole console;

  DemoContext(LocalRegions regions, DemoConsole console) {
    this.regions = regions;
    this.console = console;
  }
}
