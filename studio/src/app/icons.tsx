// The @ant-design/icons the studio draws, decorative. The library renders each icon as
// `<span role="img" aria-label="download">`: inside a button with text its English name joins the
// button's name ("download 导出"), and on its own a screen reader reads an image called "download".
// Here every icon is hidden from assistive technology (aria-hidden) unless the caller names it with an
// `aria-label` of its own (from i18n); a button with only an icon carries its name on the button.
// The studio imports icons from here, never from @ant-design/icons (eslint.config.js says so).

import {
  ApartmentOutlined as AntApartmentOutlined,
  AppstoreOutlined as AntAppstoreOutlined,
  ArrowDownOutlined as AntArrowDownOutlined,
  ArrowUpOutlined as AntArrowUpOutlined,
  AuditOutlined as AntAuditOutlined,
  BellOutlined as AntBellOutlined,
  CalendarOutlined as AntCalendarOutlined,
  CheckCircleOutlined as AntCheckCircleOutlined,
  CloseCircleFilled as AntCloseCircleFilled,
  DashboardOutlined as AntDashboardOutlined,
  DatabaseOutlined as AntDatabaseOutlined,
  DeleteOutlined as AntDeleteOutlined,
  DownloadOutlined as AntDownloadOutlined,
  DownOutlined as AntDownOutlined,
  EditOutlined as AntEditOutlined,
  ExperimentOutlined as AntExperimentOutlined,
  FolderOpenOutlined as AntFolderOpenOutlined,
  FormOutlined as AntFormOutlined,
  HistoryOutlined as AntHistoryOutlined,
  HolderOutlined as AntHolderOutlined,
  InboxOutlined as AntInboxOutlined,
  MenuOutlined as AntMenuOutlined,
  MinusCircleOutlined as AntMinusCircleOutlined,
  PaperClipOutlined as AntPaperClipOutlined,
  PlayCircleOutlined as AntPlayCircleOutlined,
  PlusOutlined as AntPlusOutlined,
  SafetyOutlined as AntSafetyOutlined,
  SaveOutlined as AntSaveOutlined,
  SearchOutlined as AntSearchOutlined,
  SettingOutlined as AntSettingOutlined,
  StopOutlined as AntStopOutlined,
  SwapOutlined as AntSwapOutlined,
  SwapRightOutlined as AntSwapRightOutlined,
  TableOutlined as AntTableOutlined,
  UndoOutlined as AntUndoOutlined,
  UploadOutlined as AntUploadOutlined,
  UserOutlined as AntUserOutlined,
  WarningOutlined as AntWarningOutlined,
  BoldOutlined as AntBoldOutlined,
  ItalicOutlined as AntItalicOutlined,
  StrikethroughOutlined as AntStrikethroughOutlined,
  UnorderedListOutlined as AntUnorderedListOutlined,
  OrderedListOutlined as AntOrderedListOutlined,
  LinkOutlined as AntLinkOutlined,
  FontSizeOutlined as AntFontSizeOutlined,
} from '@ant-design/icons';
import type { ComponentProps } from 'react';

type Icon = typeof AntPlusOutlined;
type IconProps = ComponentProps<Icon>;

/** The icon, hidden from assistive technology unless given an `aria-label` of its own. */
function decorative(Of: Icon): Icon {
  const Decorative = (props: IconProps) => <Of aria-hidden={props['aria-label'] ? undefined : true} {...props} />;
  Decorative.displayName = `Decorative(${Of.displayName ?? 'Icon'})`;
  return Decorative as unknown as Icon;
}

export const ApartmentOutlined = decorative(AntApartmentOutlined);
export const AppstoreOutlined = decorative(AntAppstoreOutlined);
export const ArrowDownOutlined = decorative(AntArrowDownOutlined);
export const ArrowUpOutlined = decorative(AntArrowUpOutlined);
export const AuditOutlined = decorative(AntAuditOutlined);
export const BellOutlined = decorative(AntBellOutlined);
export const CalendarOutlined = decorative(AntCalendarOutlined);
export const CheckCircleOutlined = decorative(AntCheckCircleOutlined);
export const CloseCircleFilled = decorative(AntCloseCircleFilled);
export const DashboardOutlined = decorative(AntDashboardOutlined);
export const DatabaseOutlined = decorative(AntDatabaseOutlined);
export const DeleteOutlined = decorative(AntDeleteOutlined);
export const DownloadOutlined = decorative(AntDownloadOutlined);
export const DownOutlined = decorative(AntDownOutlined);
export const EditOutlined = decorative(AntEditOutlined);
export const ExperimentOutlined = decorative(AntExperimentOutlined);
export const FolderOpenOutlined = decorative(AntFolderOpenOutlined);
export const FormOutlined = decorative(AntFormOutlined);
export const HistoryOutlined = decorative(AntHistoryOutlined);
export const HolderOutlined = decorative(AntHolderOutlined);
export const InboxOutlined = decorative(AntInboxOutlined);
export const MenuOutlined = decorative(AntMenuOutlined);
export const MinusCircleOutlined = decorative(AntMinusCircleOutlined);
export const PaperClipOutlined = decorative(AntPaperClipOutlined);
export const PlayCircleOutlined = decorative(AntPlayCircleOutlined);
export const PlusOutlined = decorative(AntPlusOutlined);
export const SafetyOutlined = decorative(AntSafetyOutlined);
export const SaveOutlined = decorative(AntSaveOutlined);
export const SearchOutlined = decorative(AntSearchOutlined);
export const SettingOutlined = decorative(AntSettingOutlined);
export const StopOutlined = decorative(AntStopOutlined);
export const SwapOutlined = decorative(AntSwapOutlined);
export const SwapRightOutlined = decorative(AntSwapRightOutlined);
export const TableOutlined = decorative(AntTableOutlined);
export const UndoOutlined = decorative(AntUndoOutlined);
export const UploadOutlined = decorative(AntUploadOutlined);
export const UserOutlined = decorative(AntUserOutlined);
export const WarningOutlined = decorative(AntWarningOutlined);
export const BoldOutlined = decorative(AntBoldOutlined);
export const ItalicOutlined = decorative(AntItalicOutlined);
export const StrikethroughOutlined = decorative(AntStrikethroughOutlined);
export const UnorderedListOutlined = decorative(AntUnorderedListOutlined);
export const OrderedListOutlined = decorative(AntOrderedListOutlined);
export const LinkOutlined = decorative(AntLinkOutlined);
export const FontSizeOutlined = decorative(AntFontSizeOutlined);
