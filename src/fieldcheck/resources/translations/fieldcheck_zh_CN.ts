<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ChecklistItemWidget</name>
    <message>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Optional remark</source>
        <translation>可选的说明</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>before</source>
        <translation>整治前</translation>
    </message>
    <message>
        <source>during</source>
        <translation>施工中</translation>
    </message>
    <message>
        <source>after</source>
        <translation>整治后</translation>
    </message>
    <message>
        <source>on fail</source>
        <translation>不合格时</translation>
    </message>
    <message>
        <source>Photos: {rules}</source>
        <translation>照片：{rules}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>No photos required</source>
        <translation>无需照片</translation>
    </message>
    <message>
        <source>{photos} · Points: {points}</source>
        <translation>{photos} · 分值：{points}</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <source>Inspection:</source>
        <translation>检查：</translation>
    </message>
    <message>
        <source>New inspection…</source>
        <translation>新建检查…</translation>
    </message>
    <message>
        <source>{date} · {kind} · {inspector}</source>
        <translation>{date} · {kind} · {inspector}</translation>
    </message>
    <message>
        <source> (accepted)</source>
        <translation>（已验收）</translation>
    </message>
    <message>
        <source>Accepted: read-only</source>
        <translation>已验收：只读</translation>
    </message>
    <message>
        <source>No inspections yet. Start one with “New inspection…”.</source>
        <translation>尚无检查。请点击“新建检查…”开始。</translation>
    </message>
    <message>
        <source>This kind of inspection asks no items of this category.</source>
        <translation>此类检查不含本类别的检查项。</translation>
    </message>
</context>
<context>
    <name>CompoundListPanel</name>
    <message>
        <source>Search code or name…</source>
        <translation>搜索编号或名称…</translation>
    </message>
    <message>
        <source>All sub-districts</source>
        <translation>全部街道</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>{shown} of {total} compounds</source>
        <translation>显示 {shown} / 共 {total} 个小区</translation>
    </message>
</context>
<context>
    <name>CompoundPage</name>
    <message>
        <source>Overview</source>
        <translation>概况</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查表</translation>
    </message>
    <message>
        <source>Illegal structures</source>
        <translation>违法建设</translation>
    </message>
</context>
<context>
    <name>CompoundTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Sub-district</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Area m²</source>
        <translation>建筑面积 m²</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Built</source>
        <translation>建成年份</translation>
    </message>
    <message>
        <source>Built after 2000: outside the old-compound definition</source>
        <translation>2000年以后建成：不属于老旧小区范围</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Answers already saved are kept. Please copy the details below into your report.</source>
        <translation>发生了意外错误。已保存的答案不会丢失。请复制下方详细信息并附在问题报告中。</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
</context>
<context>
    <name>DateEditor</name>
    <message>
        <source>Date given</source>
        <translation>填写日期</translation>
    </message>
</context>
<context>
    <name>DocumentEditor</name>
    <message>
        <source>Document reference, e.g. file number</source>
        <translation>文件编号或档案号</translation>
    </message>
</context>
<context>
    <name>ErrorMessages</name>
    <message>
        <source>This record no longer exists.</source>
        <translation>该记录已不存在。</translation>
    </message>
    <message>
        <source>This item is not part of the inspection.</source>
        <translation>该检查项不属于本次检查。</translation>
    </message>
    <message>
        <source>Choose pass, fail or not applicable.</source>
        <translation>请选择合格、不合格或不适用。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <source>{value} is below the minimum of {limit}.</source>
        <translation>{value} 低于最小值 {limit}。</translation>
    </message>
    <message>
        <source>{value} is above the maximum of {limit}.</source>
        <translation>{value} 超过最大值 {limit}。</translation>
    </message>
    <message>
        <source>{value} cannot be more than the total ({limit}).</source>
        <translation>{value} 不能大于总数（{limit}）。</translation>
    </message>
    <message>
        <source>Choose one of the listed options.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>Enter a date.</source>
        <translation>请输入日期。</translation>
    </message>
    <message>
        <source>Enter text.</source>
        <translation>请输入文字。</translation>
    </message>
    <message>
        <source>The text is too long.</source>
        <translation>文字过长。</translation>
    </message>
    <message>
        <source>Enter the inspector&apos;s name.</source>
        <translation>请输入检查人姓名。</translation>
    </message>
    <message>
        <source>This inspection is accepted and can no longer be changed.</source>
        <translation>该检查已验收，不能再修改。</translation>
    </message>
    <message>
        <source>Enter where the structure is.</source>
        <translation>请填写违建位置。</translation>
    </message>
    <message>
        <source>The area must be above 0 m² and at most {limit} m².</source>
        <translation>面积必须大于 0 m²，且不超过 {limit} m²。</translation>
    </message>
    <message>
        <source>The compound cannot move from “{current}” to “{target}”.</source>
        <translation>小区不能从“{current}”转到“{target}”。</translation>
    </message>
    <message>
        <source>Moving back to an earlier stage needs a reason.</source>
        <translation>退回到之前的阶段需要填写原因。</translation>
    </message>
    <message>
        <source>{count} illegal structures are not removed yet: the removal stage cannot be skipped.</source>
        <translation>尚有 {count} 处违法建设未拆除，不能跳过拆违阶段。</translation>
    </message>
    <message>
        <source>The database {path} cannot be opened: {reason}.</source>
        <translation>无法打开数据库 {path}：{reason}。</translation>
    </message>
    <message>
        <source>The database {path} was written by a newer version of fieldcheck. Install the newer version to open it.</source>
        <translation>数据库 {path} 由更新版本的 fieldcheck 写入。请安装新版本后再打开。</translation>
    </message>
    <message>
        <source>Upgrading the database {path} failed: {reason}. The data as it was is kept in {backup}.</source>
        <translation>数据库 {path} 升级失败：{reason}。升级前的数据已保存在 {backup}。</translation>
    </message>
    <message>
        <source>The checklist template {source} is invalid ({where}: {problem}).</source>
        <translation>检查表模板 {source} 无效（{where}：{problem}）。</translation>
    </message>
    <message>
        <source>The checklist template {source} cannot be read.</source>
        <translation>无法读取检查表模板 {source}。</translation>
    </message>
    <message>
        <source>The checklist template {template_id} version {version} is not installed.</source>
        <translation>未安装检查表模板 {template_id} 第 {version} 版。</translation>
    </message>
    <message>
        <source>The checklist template {source} is installed twice.</source>
        <translation>检查表模板 {source} 重复安装。</translation>
    </message>
    <message>
        <source>Something went wrong: {message}</source>
        <translation>出现问题：{message}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>fieldcheck — renovation inspections</source>
        <extracomment>Language names are shown in their own language and never translated.</extracomment>
        <translation>fieldcheck — 老旧小区整治检查</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About fieldcheck</source>
        <translation>关于 fieldcheck(&amp;A)</translation>
    </message>
    <message>
        <source>Select a compound on the left.</source>
        <translation>请在左侧选择一个小区。</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>About fieldcheck</source>
        <translation>关于 fieldcheck</translation>
    </message>
    <message>
        <source>fieldcheck {version}

Field inspections and before/after evidence for the renovation of old residential compounds.

Data folder: {folder}</source>
        <translation>fieldcheck {version}

老旧小区综合整治改造的现场检查与整治前后证据管理。

数据文件夹：{folder}</translation>
    </message>
    <message>
        <source>Pending changes: {count}</source>
        <translation>待同步更改：{count}</translation>
    </message>
</context>
<context>
    <name>MoveStageDialog</name>
    <message>
        <source>Move to stage</source>
        <translation>转到阶段</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>转入</translation>
    </message>
    <message>
        <source>Current stage</source>
        <translation>当前阶段</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>转到</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>原因（选填）</translation>
    </message>
</context>
<context>
    <name>NewInspectionDialog</name>
    <message>
        <source>New inspection</source>
        <translation>新建检查</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>{title}, version {version}</source>
        <translation>{title}，第 {version} 版</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查表</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Sub-district</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Year built</source>
        <translation>建成年份</translation>
    </message>
    <message>
        <source>Floor area</source>
        <translation>建筑面积</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>楼栋数</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Property management</source>
        <translation>物业管理</translation>
    </message>
    <message>
        <source>Plan year</source>
        <translation>计划年度</translation>
    </message>
    <message>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>基本情况</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Stage history</source>
        <translation>阶段变更记录</translation>
    </message>
    <message>
        <source>Move to stage…</source>
        <translation>转到阶段…</translation>
    </message>
    <message>
        <source>{area} m²</source>
        <translation>{area} m²</translation>
    </message>
    <message>
        <source>⚠ Built after 2000: outside the old-compound definition; check eligibility.</source>
        <translation>⚠ 2000年以后建成：不属于老旧小区范围，请核实是否符合改造条件。</translation>
    </message>
    <message>
        <source>{date}: {from_stage} → {to_stage}</source>
        <translation>{date}：{from_stage} → {to_stage}</translation>
    </message>
    <message>
        <source> (reason: {reason})</source>
        <translation>（原因：{reason}）</translation>
    </message>
    <message>
        <source>No stage moves recorded yet.</source>
        <translation>尚无阶段变更记录。</translation>
    </message>
</context>
<context>
    <name>PassFailEditor</name>
    <message>
        <source>Pass</source>
        <extracomment>The colour a chosen pass/fail/not-applicable button takes, so the answer reads at a glance.</extracomment>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>N/A</source>
        <translation>不适用</translation>
    </message>
</context>
<context>
    <name>RegisterTab</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation>更改状态…</translation>
    </message>
    <message>
        <source>{count} registered, {area} m² in all</source>
        <translation>已登记 {count} 处，共 {area} m²</translation>
    </message>
</context>
<context>
    <name>StageTimelineTableModel</name>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Planned due</source>
        <translation>计划完成</translation>
    </message>
    <message>
        <source>Done on</source>
        <translation>实际完成</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>{state} · overdue</source>
        <translation>{state} · 已逾期</translation>
    </message>
</context>
<context>
    <name>StartupErrorDialog</name>
    <message>
        <source>fieldcheck cannot start</source>
        <translation>fieldcheck 无法启动</translation>
    </message>
    <message>
        <source>The checklist templates of this installation are damaged.</source>
        <translation>本安装中的检查表模板已损坏。</translation>
    </message>
    <message>
        <source>The data folder cannot be opened.</source>
        <translation>无法打开数据文件夹。</translation>
    </message>
    <message>
        <source>Nothing in the folder has been changed.</source>
        <translation>文件夹中的内容未作任何改动。</translation>
    </message>
    <message>
        <source>Choose another data folder…</source>
        <translation>选择其他数据文件夹…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Choose a data folder</source>
        <translation>选择数据文件夹</translation>
    </message>
</context>
<context>
    <name>StructureDialog</name>
    <message>
        <source>Edit illegal structure</source>
        <translation>编辑违法建设</translation>
    </message>
    <message>
        <source>Add illegal structure</source>
        <translation>添加违法建设</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>User</source>
        <translation>使用人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>StructureStatusDialog</name>
    <message>
        <source>Change status</source>
        <translation>更改状态</translation>
    </message>
    <message>
        <source>Structure</source>
        <translation>违建</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
</context>
<context>
    <name>StructureTableModel</name>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Area m²</source>
        <translation>面积 m²</translation>
    </message>
    <message>
        <source>User</source>
        <translation>使用人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Status date</source>
        <translation>状态日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
