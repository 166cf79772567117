// One chart drawn by Apache ECharts (tree-shaken: bar, line, pie and funnel with the SVG renderer).
// Loaded lazily: the chart library is not in the first download. Screen readers get the wrapper's
// label, which names every figure in the UI language (ECharts' own aria text is English only).
// (echarts-for-react's CommonJS build came through the bundler as a module object, not a
// component; what it does — init, setOption, resize, dispose — is the few lines below.)

import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export default function EChart({ option, label, height }: { option: EChartsOption; label: string; height: number }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  useEffect(() => {
    if (!host.current) return;
    const instance = echarts.init(host.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(host.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, { notMerge: true });
  }, [option]);
  return (
    <div role="img" aria-label={label} data-testid="chart">
      <div ref={host} aria-hidden="true" style={{ height, width: '100%' }} />
    </div>
  );
}
