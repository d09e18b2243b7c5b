/** The Shenzhen district boundaries bundled at build time (vite.config.ts), or null without the data file. */
declare module 'virtual:shenzhen-districts' {
  const geo: { type: 'FeatureCollection'; features: { type: 'Feature'; properties: { adcode: string; name: string; center: [number, number] }; geometry: unknown }[] } | null;
  export default geo;
}
