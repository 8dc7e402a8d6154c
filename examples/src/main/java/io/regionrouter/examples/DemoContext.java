package io.regionrouter.examples;

import io.regionrouter.testkit.LocalRegions;

/** What every step can use: the running regions, the library wired against them, and the console. */
final class DemoContext {

    final LocalRegions regions;
    final DemoServices services;
    final DemoConsole console;

    DemoContext(LocalRegions regions, DemoServices services, DemoConsole console) {
        this.regions = regions;
        this.services = services;
        this.console = console;
    }
}
