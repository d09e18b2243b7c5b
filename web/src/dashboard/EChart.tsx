/**
 * A minimal React wrapper for ECharts (only the chart types the dashboard uses are bundled):
 * init on mount, setOption on change, resize with its box, dispose on unmount.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent, GeoComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, MapChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent, GeoComponent, CanvasRenderer]);

export { echarts };

export function EChart({ option, height = 300, label, onClick, theme }: {
  option: echarts.EChartsCoreOption; height?: number | string; label: string; onClick?: (p: { name?: string; data?: unknown }) => void; theme?: 'dark';
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    const c = echarts.init(box.current!, theme, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p as { name?: string; data?: unknown }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);
  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true });
  }, [option, theme]);
  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
