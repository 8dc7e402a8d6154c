/**
 * region-router Redis active-active: fan-out writes with hybrid-logical-clock versions, hinted
 * handoff, repair and read fallback, over Lettuce.
 */
module io.regionrouter.redis {
    requires transitive io.regionrouter.core;
    requires transitive lettuce.core;
    requires io.netty.common;
    requires io.netty.resolver;
    requires org.slf4j;

    exports io.regionrouter.redis;
}
