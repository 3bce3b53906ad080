export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
}

export interface BenchSection {
  title: string;
  rows: BenchRow[];
  notes?: string[];
}
