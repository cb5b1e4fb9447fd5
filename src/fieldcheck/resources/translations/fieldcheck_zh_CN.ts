<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About fieldcheck</source>
        <translation>关于 fieldcheck</translation>
    </message>
    <message>
        <source>Field inspections and before/after evidence for the renovation of old residential compounds.</source>
        <translation>老旧小区综合整治改造的现场检查与整治前后证据管理。</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>日志文件：</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>Last sync:</source>
        <translation>上次同步：</translation>
    </message>
    <message>
        <source>{path} (send it with a problem report)</source>
        <translation>{path}（请随问题报告一并发送）</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Open the data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志所在文件夹</translation>
    </message>
    <message>
        <source>none yet (Sync → Sign in…)</source>
        <translation>尚未登录（同步 → 登录…）</translation>
    </message>
    <message>
        <source>{server}, last signed in as {user}</source>
        <translation>{server}，上次以 {user} 登录</translation>
    </message>
    <message>
        <source>{server}, last signed in as {user} (signed out)</source>
        <translation>{server}，上次以 {user} 登录（已退出）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未同步</translation>
    </message>
</context>
<context>
    <name>AfterPhotoFlow</name>
    <message>
        <source>Choose the after photo of this spot</source>
        <translation>选择此位置的整改后照片</translation>
    </message>
    <message>
        <source>Photos ({patterns});;All files (*)</source>
        <translation>照片 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>The after photo was not imported: {reason}</source>
        <translation>整改后照片未导入：{reason}</translation>
    </message>
</context>
<context>
    <name>AnnotationCommands</name>
    <message>
        <source>Add shape</source>
        <translation>添加标注</translation>
    </message>
    <message>
        <source>Delete shapes</source>
        <translation>删除标注</translation>
    </message>
    <message>
        <source>Move shapes</source>
        <translation>移动标注</translation>
    </message>
    <message>
        <source>Change colour</source>
        <translation>更改颜色</translation>
    </message>
</context>
<context>
    <name>AnswerEntryForm</name>
    <message>
        <source>Entry {number}</source>
        <extracomment>The inner margin of a numbered entry; its field labels are narrower by that margin and the border, so that its editors line up with those of the items around it.</extracomment>
        <translation>第 {number} 处</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Withdraw this entry with a reason; it stays on record.</source>
        <translation>注明原因后撤回此处记录；记录本身仍会保留。</translation>
    </message>
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
</context>
<context>
    <name>AttachRecoveredDialog</name>
    <message>
        <source>Choose a compound from the list.</source>
        <translation>请从列表中选择一个小区。</translation>
    </message>
    <message>
        <source>Attach to compound</source>
        <translation>归入小区</translation>
    </message>
    <message>
        <source>Record the {count} selected recovered photos as evidence of this compound. They are imported as usual: a photo already recorded for the compound and phase is not recorded twice.</source>
        <translation>将选中的 {count} 张找回照片记录为该小区的证据。照片按常规方式导入：该小区同一阶段已有记录的照片不会重复记录。</translation>
    </message>
    <message>
        <source>Compound:</source>
        <translation>小区：</translation>
    </message>
    <message>
        <source>Type a code or a name</source>
        <translation>输入小区编号或名称</translation>
    </message>
</context>
<context>
    <name>AttentionDialog</name>
    <message>
        <source>Needs attention</source>
        <extracomment>Bookkeeping fields not worth showing side by side. The pass/fail labels of the checklist&apos;s own editor (translated in its context). One compared value: a field, or one key of a field that holds a mapping (an answer&apos;s values).</extracomment>
        <translation>待处理事项</translation>
    </message>
    <message>
        <source>Accept the server&apos;s history…</source>
        <translation>接受服务器的历史记录…</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>采用对方的</translation>
    </message>
    <message>
        <source>Use the merged values</source>
        <translation>采用合并后的值</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Send your change to the server again, once the cause is fixed</source>
        <translation>问题解决后，将您的修改重新发送到服务器</translation>
    </message>
    <message>
        <source>Discard my change…</source>
        <translation>放弃我的修改…</translation>
    </message>
    <message>
        <source>History on the server</source>
        <translation>服务器上的修改历史</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>没有待处理的事项。</translation>
    </message>
    <message>
        <source>The server&apos;s history changed: {problem}. Syncing is stopped and nothing on this laptop was changed. Accept the server&apos;s history only after the bureau confirms the server was restored.</source>
        <translation>服务器的历史记录发生了变化：{problem}。同步已暂停，本机数据未作任何改动。请在局里确认服务器已从备份恢复后，再接受服务器的历史记录。</translation>
    </message>
    <message>
        <source>Photo file changed: {sha}</source>
        <translation>照片文件已变动：{sha}</translation>
    </message>
    <message>
        <source>{entity} {id}</source>
        <translation>{entity} {id}</translation>
    </message>
    <message>
        <source>Conflict: {what}</source>
        <translation>冲突：{what}</translation>
    </message>
    <message>
        <source>Rejected: {what}</source>
        <translation>被拒绝：{what}</translation>
    </message>
    <message>
        <source>Someone else changed this {entity} while you did. Choose which version to keep, or edit the merged value. Both versions stay in the server&apos;s history.</source>
        <translation>在您修改这条{entity}的同时，其他人也修改了它。请选择保留哪个版本，或编辑合并后的值。两个版本都会保留在服务器的历史记录中。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>对方的</translation>
    </message>
    <message>
        <source>Merged (edit)</source>
        <translation>合并值（可编辑）</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>{author} on {device}</source>
        <translation>{author}（{device}）</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>The server rejected this change to {entity} {id}.</source>
        <translation>服务器拒绝了对{entity} {id} 的这项修改。</translation>
    </message>
    <message>
        <source>It concerns: {fields}.</source>
        <translation>涉及：{fields}。</translation>
    </message>
    <message>
        <source>Your change stays here, with your values below, until you send it again or discard it.</source>
        <translation>在您重新发送或放弃之前，您的修改会连同下方填写的值一直保留在这里。</translation>
    </message>
    <message>
        <source>The file of photo {sha} no longer matches its fingerprint, so it was not uploaded. Keep the laptop as it is and tell the bureau. ({error})</source>
        <translation>照片 {sha} 的文件与其指纹不再一致，因此没有上传。请保持本机现状，并告知局里。（{error}）</translation>
    </message>
    <message>
        <source>Discard my change</source>
        <translation>放弃我的修改</translation>
    </message>
    <message>
        <source>Your change is not sent. The record goes back to the server&apos;s version, or, if the server never had it, it is withdrawn on this laptop. Both stay on record. Why do you discard it? (required)</source>
        <translation>您的修改不会被发送。记录将恢复为服务器上的版本；如果服务器上从未有过这条记录，则在本机上将其撤回。两种情况都会留档备查。您为什么要放弃这项修改？（必填）</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Accept the server&apos;s history</source>
        <translation>接受服务器的历史记录</translation>
    </message>
    <message>
        <source>Only do this after the bureau confirmed that the server was restored. fieldcheck then pulls everything again; your unsent changes stay and are sent.</source>
        <translation>请仅在局里确认服务器已从备份恢复后再这样做。之后 fieldcheck 会重新下载全部数据；您尚未上传的修改会保留并照常上传。</translation>
    </message>
</context>
<context>
    <name>ChecklistItemWidget</name>
    <message>
        <source>Add entry</source>
        <translation>添加一处</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>{count} retracted</source>
        <translation>已撤回 {count} 处</translation>
    </message>
    <message>
        <source>Entry {number}: {reason} ({by}, {date})</source>
        <translation>第 {number} 处：{reason}（{by}，{date}）</translation>
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
        <source> (submitted)</source>
        <translation>（已提交）</translation>
    </message>
    <message>
        <source>Accepted: read-only</source>
        <translation>已验收：只读</translation>
    </message>
    <message>
        <source>Submitted: read-only</source>
        <translation>已提交：只读</translation>
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
    <name>CompareDialog</name>
    <message>
        <source>Compare before and after</source>
        <translation>整改前后对比</translation>
    </message>
    <message>
        <source>Later photo:</source>
        <translation>后期照片：</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排对比</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>叠加对比</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>后期</translation>
    </message>
    <message>
        <source>time unknown</source>
        <translation>拍摄时间不详</translation>
    </message>
    <message>
        <source>There is no later photo of this spot yet.</source>
        <translation>此位置还没有后期照片。</translation>
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
    <message>
        <source>Photos</source>
        <translation>照片</translation>
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
        <source>Sync</source>
        <translation>同步</translation>
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
    <message>
        <source>The log file, to send with your report: {path}</source>
        <translation>日志文件（请随问题报告一并发送）：{path}</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志所在文件夹</translation>
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
        <source>This entry was removed and can no longer be changed.</source>
        <translation>此处记录已撤回，不能再修改。</translation>
    </message>
    <message>
        <source>Enter the reason for the removal.</source>
        <translation>请填写移除原因。</translation>
    </message>
    <message>
        <source>This entry was already removed.</source>
        <translation>此处记录已经撤回。</translation>
    </message>
    <message>
        <source>Enter the inspector&apos;s name.</source>
        <translation>请输入检查人姓名。</translation>
    </message>
    <message>
        <source>This inspection is submitted and can no longer be changed.</source>
        <translation>该检查已提交，不能再修改。</translation>
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
    <name>ImportPhotosDialog</name>
    <message>
        <source>Photos ({patterns});;All files (*)</source>
        <translation>照片 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose photos</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <source>Choose a folder of photos</source>
        <translation>选择照片文件夹</translation>
    </message>
    <message>
        <source>Choose the photos or a folder to import.</source>
        <translation>请选择要导入的照片或文件夹。</translation>
    </message>
    <message>
        <source>Import photos</source>
        <translation>导入照片</translation>
    </message>
    <message>
        <source>Files and folders (folders are read with subfolders):</source>
        <translation>文件和文件夹（文件夹连同子文件夹一起读取）：</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
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
        <source>Start-up check: recovered photos {recovered}, problems {problems}</source>
        <translation>启动检查：找回照片 {recovered} 张，问题 {problems} 个</translation>
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
    <name>PhotoCanvas</name>
    <message>
        <source>Text</source>
        <extracomment>Ask for the original once a preview pixel would cover this many screen pixels.</extracomment>
        <translation>文字</translation>
    </message>
    <message>
        <source>Text to place on the photo:</source>
        <translation>要标在照片上的文字：</translation>
    </message>
</context>
<context>
    <name>PhotoGalleryModel</name>
    <message>
        <source>time unknown</source>
        <translation>拍摄时间不详</translation>
    </message>
    <message>
        <source>Phase: {phase}</source>
        <translation>阶段：{phase}</translation>
    </message>
    <message>
        <source>Taken: {time}</source>
        <translation>拍摄时间：{time}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>GPS: {lat:.6f}, {lon:.6f}</source>
        <translation>GPS：{lat:.6f}, {lon:.6f}</translation>
    </message>
    <message>
        <source>Camera: {device}</source>
        <translation>相机：{device}</translation>
    </message>
    <message>
        <source>Warning: dated in the future</source>
        <translation>警告：拍摄时间晚于导入时间</translation>
    </message>
    <message>
        <source>Sync: {state}</source>
        <translation>同步：{state}</translation>
    </message>
</context>
<context>
    <name>PhotoImportPanel</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The disk is full: the import stopped. The photos imported so far stay.</source>
        <translation>磁盘已满，导入已停止。已导入的照片会保留。</translation>
    </message>
    <message>
        <source>Importing photos…</source>
        <translation>正在导入照片…</translation>
    </message>
    <message>
        <source>Import stopped</source>
        <translation>导入已停止</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>{imported} imported, {duplicates} already imported, {refused} refused</source>
        <translation>已导入 {imported} 张，重复 {duplicates} 张，拒收 {refused} 个</translation>
    </message>
    <message>
        <source> — stopping…</source>
        <translation> — 正在停止…</translation>
    </message>
    <message>
        <source> — stopped</source>
        <translation> — 已停止</translation>
    </message>
</context>
<context>
    <name>PhotoMetadataPanel</name>
    <message>
        <source>Taken</source>
        <translation>拍摄时间</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>相机</translation>
    </message>
    <message>
        <source>Original file</source>
        <translation>原始文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256 校验值</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <source>Laptop clock offset</source>
        <translation>笔记本时钟偏差</translation>
    </message>
    <message>
        <source>Received by the server</source>
        <translation>服务器接收时间</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>{width} × {height} pixels, {kb} KB, {format}</source>
        <translation>{width} × {height} 像素，{kb} KB，{format}</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未接收</translation>
    </message>
    <message>
        <source> (no time zone recorded)</source>
        <translation>（未记录时区）</translation>
    </message>
    <message>
        <source>Warning: the capture time lies after the import time. The camera clock may be wrong.</source>
        <translation>警告：拍摄时间晚于导入时间，相机时钟可能有误。</translation>
    </message>
    <message>
        <source>Warning: when this photo reached the server, the clock of the laptop that sent it was off by {offset}. The capture time is that laptop&apos;s claim.</source>
        <translation>警告：这张照片到达服务器时，上传它的笔记本电脑时钟偏差 {offset}。拍摄时间仅为该电脑的记录，请核实。</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>{n} hours</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{n} minutes</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>, altitude {alt} m</source>
        <translation>，海拔 {alt} 米</translation>
    </message>
    <message>
        <source>from the camera (EXIF)</source>
        <translation>来自相机（EXIF）</translation>
    </message>
    <message>
        <source>pinned on the site plan</source>
        <translation>在总平面图上标注</translation>
    </message>
    <message>
        <source>entered by hand</source>
        <translation>手工录入</translation>
    </message>
</context>
<context>
    <name>PhotoTargetFields</name>
    <message>
        <source>Phase:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Checklist item:</source>
        <translation>检查项：</translation>
    </message>
    <message>
        <source>Inspector:</source>
        <translation>检查人：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>PhotoTexts</name>
    <message>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <source>During</source>
        <translation>施工中</translation>
    </message>
    <message>
        <source>After</source>
        <translation>整改后</translation>
    </message>
    <message>
        <source>Acceptance</source>
        <translation>验收</translation>
    </message>
    <message>
        <source>Imported</source>
        <extracomment>Colours of the phase badges in the gallery and the compare view.</extracomment>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Already imported</source>
        <translation>已导入过</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>The file disappeared before it was read.</source>
        <translation>文件在读取前已消失。</translation>
    </message>
    <message>
        <source>The file cannot be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <source>Not a regular file.</source>
        <translation>不是普通文件。</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>文件为空。</translation>
    </message>
    <message>
        <source>The file is too large.</source>
        <translation>文件过大。</translation>
    </message>
    <message>
        <source>This image format is not accepted as evidence (use JPEG, PNG, HEIC, TIFF).</source>
        <translation>该图片格式不能作为证据（请使用 JPEG、PNG、HEIC、TIFF）。</translation>
    </message>
    <message>
        <source>Not a photo.</source>
        <translation>不是照片。</translation>
    </message>
    <message>
        <source>The photo is damaged or unreadable.</source>
        <translation>照片已损坏或无法读取。</translation>
    </message>
    <message>
        <source>Too many pixels (a decompression bomb or not a photo).</source>
        <translation>像素过多（解压炸弹或并非照片）。</translation>
    </message>
    <message>
        <source>The disk is full: not imported.</source>
        <translation>磁盘已满，未导入。</translation>
    </message>
    <message>
        <source>Not imported: the import stopped.</source>
        <translation>未导入：导入已停止。</translation>
    </message>
    <message>
        <source>Importing this file failed (the details are in the tooltip).</source>
        <translation>此文件导入失败（详情见提示）。</translation>
    </message>
</context>
<context>
    <name>PhotoViewerDialog</name>
    <message>
        <source>{name} · {phase} · {time}</source>
        <translation>{name} · {phase} · {time}</translation>
    </message>
    <message>
        <source>time unknown</source>
        <translation>拍摄时间不详</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Select/move</source>
        <translation>选择/移动</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Circle</source>
        <translation>圆圈</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <source>White</source>
        <translation>白色</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>黑色</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Save annotations</source>
        <translation>保存标注</translation>
    </message>
    <message>
        <source>Add after photo of this spot…</source>
        <translation>添加此位置的整改后照片…</translation>
    </message>
    <message>
        <source>Compare before/after</source>
        <translation>整改前后对比</translation>
    </message>
    <message>
        <source>Zoom {percent}%</source>
        <translation>缩放 {percent}%</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Annotations: version {version}</source>
        <translation>标注：第 {version} 版</translation>
    </message>
    <message>
        <source>No annotations yet</source>
        <translation>尚无标注</translation>
    </message>
    <message>
        <source>Unsaved annotations</source>
        <translation>标注未保存</translation>
    </message>
    <message>
        <source>Save the annotations as a new version before closing?</source>
        <translation>关闭前将标注保存为新版本吗？</translation>
    </message>
</context>
<context>
    <name>PhotosTab</name>
    <message>
        <source>Photos: {count}</source>
        <translation>照片：{count} 张</translation>
    </message>
    <message>
        <source>An import is running; wait for it to finish.</source>
        <translation>正在导入，请等待完成。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Add after photo of this spot…</source>
        <translation>添加此位置的整改后照片…</translation>
    </message>
    <message>
        <source>Compare before/after</source>
        <translation>整改前后对比</translation>
    </message>
    <message>
        <source>Import photos…</source>
        <translation>导入照片…</translation>
    </message>
    <message>
        <source>Phase:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Item:</source>
        <translation>检查项：</translation>
    </message>
    <message>
        <source>All phases</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>No photos here yet. Drop photos or a folder here, or use “Import photos…”.</source>
        <translation>这里还没有照片。把照片或文件夹拖到这里，或使用“导入照片…”。</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>全部检查项</translation>
    </message>
</context>
<context>
    <name>RecordTexts</name>
    <message>
        <source>Record number</source>
        <extracomment>Fields that mean the same in every entity that has them.</extracomment>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Illegal structure</source>
        <translation>违法建设</translation>
    </message>
    <message>
        <source>Viewpoint</source>
        <translation>拍摄点位</translation>
    </message>
    <message>
        <source>Checklist item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created at</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated at</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>Fields of one entity (and shared names that read differently there).</extracomment>
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
        <source>Floor area (m²)</source>
        <translation>建筑面积（m²）</translation>
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
        <source>Management</source>
        <translation>物业管理</translation>
    </message>
    <message>
        <source>Plan year</source>
        <translation>计划年度</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Kind of inspection</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <source>Started on</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查表</translation>
    </message>
    <message>
        <source>Checklist version</source>
        <translation>检查表版本</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>提交人</translation>
    </message>
    <message>
        <source>Submitted at</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Accepted by</source>
        <translation>验收人</translation>
    </message>
    <message>
        <source>Accepted at</source>
        <translation>验收时间</translation>
    </message>
    <message>
        <source>Entry number</source>
        <translation>条目序号</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>填写内容</translation>
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
        <source>Area (m²)</source>
        <translation>面积（m²）</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>使用人</translation>
    </message>
    <message>
        <source>Removal status</source>
        <translation>拆除状态</translation>
    </message>
    <message>
        <source>Status date</source>
        <translation>状态日期</translation>
    </message>
    <message>
        <source>Pin on the plan (across)</source>
        <translation>平面图标注位置（横向）</translation>
    </message>
    <message>
        <source>Pin on the plan (down)</source>
        <translation>平面图标注位置（纵向）</translation>
    </message>
    <message>
        <source>Direction (°)</source>
        <translation>拍摄方向（°）</translation>
    </message>
    <message>
        <source>File fingerprint</source>
        <translation>文件指纹</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>File size (bytes)</source>
        <translation>文件大小（字节）</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>文件类型</translation>
    </message>
    <message>
        <source>Image format</source>
        <translation>图像格式</translation>
    </message>
    <message>
        <source>Camera make</source>
        <translation>相机品牌</translation>
    </message>
    <message>
        <source>Camera model</source>
        <translation>相机型号</translation>
    </message>
    <message>
        <source>Taken at</source>
        <translation>拍摄时间</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Altitude</source>
        <translation>海拔</translation>
    </message>
    <message>
        <source>Location source</source>
        <translation>位置来源</translation>
    </message>
    <message>
        <source>Image orientation</source>
        <translation>图像方向</translation>
    </message>
    <message>
        <source>Width (pixels)</source>
        <translation>宽度（像素）</translation>
    </message>
    <message>
        <source>Height (pixels)</source>
        <translation>高度（像素）</translation>
    </message>
    <message>
        <source>Imported at</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>Laptop clock offset (s)</source>
        <translation>本机时钟偏差（秒）</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Dated in the future</source>
        <translation>拍摄时间晚于当前时间</translation>
    </message>
    <message>
        <source>Received by the server at</source>
        <translation>服务器接收时间</translation>
    </message>
    <message>
        <source>Laptop clock offset on receipt (s)</source>
        <translation>接收时本机时钟偏差（秒）</translation>
    </message>
    <message>
        <source>Laptop clock was wrong</source>
        <translation>本机时钟不准</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Markings</source>
        <translation>标注图形</translation>
    </message>
    <message>
        <source>Drawn by</source>
        <translation>标注人</translation>
    </message>
    <message>
        <source>Responsible organisation</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Rectification reported by</source>
        <translation>整改报告人</translation>
    </message>
    <message>
        <source>Rectification reported at</source>
        <translation>整改报告时间</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>核验人</translation>
    </message>
    <message>
        <source>Verified at</source>
        <translation>核验时间</translation>
    </message>
    <message>
        <source>Returned by</source>
        <translation>退回人</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>退回时间</translation>
    </message>
    <message>
        <source>Kind of record</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>Removed record</source>
        <translation>被删除的记录</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Removed by</source>
        <translation>删除人</translation>
    </message>
    <message>
        <source>Removed at</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已验收</translation>
    </message>
    <message>
        <source>To be rectified</source>
        <translation>待整改</translation>
    </message>
    <message>
        <source>Rectified</source>
        <translation>已整改</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已复核</translation>
    </message>
    <message>
        <source>Rectification not accepted</source>
        <translation>整改未通过</translation>
    </message>
    <message>
        <source>Yes</source>
        <extracomment>Where a photo&apos;s location came from, in the words of the photo details panel.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>This record belongs to a compound outside your sub-districts, so the server does not take changes to it from you. If you should work there, ask the bureau to add the sub-district to your account and send again; otherwise discard your change.</source>
        <extracomment>Fields stored as plain text that hold an enum&apos;s value. What a rejection by the server means and what the inspector can do, by its code.</extracomment>
        <translation>该记录所属的小区不在您负责的街道范围内，服务器不接受您对它的修改。如果您应负责该小区，请联系局里为您的账号添加该街道后重新发送；否则请放弃您的修改。</translation>
    </message>
    <message>
        <source>Your account may not make this change: inspectors record inspections and the illegal-structure register and may move a compound&apos;s stage; other compound details are changed by the bureau. Discard your change, or ask the bureau to make it.</source>
        <translation>您的账号无权进行此项修改：检查人员负责记录检查和违法建设台账，并可推进小区的阶段；小区的其他信息由局里修改。请放弃您的修改，或请局里代为修改。</translation>
    </message>
    <message>
        <source>The inspection was already submitted or accepted, so its records can no longer be edited. Discard your change, or record it as an amendment to the inspection.</source>
        <translation>该检查已提交或已验收，其记录不能再修改。请放弃您的修改，或将其作为对该检查的补充更正记录下来。</translation>
    </message>
    <message>
        <source>This status change is not allowed: an inspector submits an open inspection, and only the acceptance team accepts a submitted one. Discard your change.</source>
        <translation>不允许这样更改状态：检查人员只能提交进行中的检查，已提交的检查只能由验收组验收。请放弃您的修改。</translation>
    </message>
    <message>
        <source>A record of this inspection is in conflict with a colleague&apos;s change. Settle the conflicts here under Needs attention first, then send again.</source>
        <translation>该检查中有记录与同事的修改存在冲突。请先在“待处理事项”中解决这些冲突，然后重新发送。</translation>
    </message>
    <message>
        <source>The server already has this photo for this compound and phase (a colleague may have imported the same file). Discard your copy; the photo on the server stays.</source>
        <translation>服务器上已有该小区、该阶段的这张照片（可能同事已导入了同一文件）。请放弃您的这一份；服务器上的照片会保留。</translation>
    </message>
    <message>
        <source>These details cannot change once recorded (a photo&apos;s capture details, a saved annotation, a removal). Discard your change; to correct something, record it anew.</source>
        <translation>这些信息一经记录就不能更改（例如照片的拍摄信息、已保存的标注、删除记录）。请放弃您的修改；如需更正，请重新记录。</translation>
    </message>
    <message>
        <source>A record cannot be moved to another compound, inspection or photo once it exists. Discard your change and record it again in the right place.</source>
        <translation>记录一经创建，就不能再移到其他小区、检查或照片下。请放弃您的修改，并在正确的位置重新记录。</translation>
    </message>
    <message>
        <source>The server cannot accept a value of this change (missing, too long or out of range). Correct the value and send again, or discard your change.</source>
        <translation>服务器无法接受此项修改中的某个值（缺失、过长或超出范围）。请更正该值后重新发送，或放弃您的修改。</translation>
    </message>
    <message>
        <source>The server does not know this record&apos;s sub-district. Ask the bureau to check it, then send again; or discard your change.</source>
        <translation>服务器不认识该记录所属的街道。请联系局里核实后重新发送；或放弃您的修改。</translation>
    </message>
    <message>
        <source>The server does not have this record, so it cannot change it. Discard your change and tell the bureau if the record should exist.</source>
        <translation>服务器上没有这条记录，因此无法修改。请放弃您的修改；如果这条记录应当存在，请告知局里。</translation>
    </message>
    <message>
        <source>Your change is based on a version of this record the server does not have (the server may have been restored from a backup). Discard your change and make it again after the next sync.</source>
        <translation>您的修改所依据的记录版本在服务器上不存在（服务器可能已从备份恢复）。请放弃您的修改，在下次同步后重新修改。</translation>
    </message>
    <message>
        <source>The record this one belongs to is not on the server yet. Send again after it was sent.</source>
        <translation>这条记录所属的记录还不在服务器上。请在所属记录发送之后重新发送。</translation>
    </message>
    <message>
        <source>The photo file is not on the server yet. Send again after the photo was uploaded.</source>
        <translation>照片文件还不在服务器上。请在照片上传之后重新发送。</translation>
    </message>
    <message>
        <source>The server already received a different change under the same number and keeps the first one. Discard this change and make it again.</source>
        <translation>服务器已用同一编号收到过另一项修改，并保留第一项。请放弃这项修改，然后重新修改。</translation>
    </message>
    <message>
        <source>The server&apos;s reason: {reason} ({code})</source>
        <extracomment>A rejection with a code not listed above: the server&apos;s own words.</extracomment>
        <translation>服务器给出的原因：{reason}（{code}）</translation>
    </message>
    <message>
        <source>, </source>
        <extracomment>Between the items of a list of names.</extracomment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>RecoveredPhotosDialog</name>
    <message>
        <source>Recovered photos</source>
        <extracomment>On the rows of recovered photos: the photo&apos;s SHA-256 (other rows have none). Why a recovered photo cannot be recorded: SHA-256 -&gt; (code, message).</extracomment>
        <translation>找回的照片</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>{count} selected</source>
        <translation>已选 {count} 张</translation>
    </message>
    <message>
        <source>Select recovered photos (Ctrl or Shift for several) to attach them.</source>
        <translation>请选择要归入小区的找回照片（按住 Ctrl 或 Shift 可多选）。</translation>
    </message>
    <message>
        <source>Recovered photos ({count})</source>
        <translation>找回的照片（{count}）</translation>
    </message>
    <message>
        <source>{kb} KB</source>
        <translation>{kb} KB</translation>
    </message>
    <message>
        <source>Photos whose file is missing ({count})</source>
        <translation>文件缺失的照片（{count}）</translation>
    </message>
    <message>
        <source>The start-up check found the following. Nothing has been deleted: recovered photos are files kept in the data folder without a record (an import was interrupted). Select them and attach them to their compound to record them.</source>
        <translation>启动检查发现以下情况。没有删除任何内容：找回的照片是保存在数据文件夹中但没有记录的文件（导入曾被中断）。选中这些照片并归入所属小区，即可补建记录。</translation>
    </message>
    <message>
        <source>Attach to compound…</source>
        <translation>归入小区…</translation>
    </message>
    <message>
        <source>Files that no longer match their SHA-256 ({count})</source>
        <translation>与 SHA-256 校验值不符的文件（{count}）</translation>
    </message>
    <message>
        <source>Database check ({count})</source>
        <translation>数据库检查（{count}）</translation>
    </message>
</context>
<context>
    <name>RegisterItemWidget</name>
    <message>
        <source>Open the register</source>
        <translation>打开违法建设登记</translation>
    </message>
    <message>
        <source>Registered in the Illegal structures tab: {count} structures, {area} m²</source>
        <translation>已在“违法建设”标签页登记：{count} 处，共 {area} m²</translation>
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
    <name>RetractEntryDialog</name>
    <message>
        <source>Remove entry {number} of {code}</source>
        <translation>移除 {code} 的第 {number} 处</translation>
    </message>
    <message>
        <source>The entry is hidden from the checklist but kept on record, together with the reason.</source>
        <translation>此处记录将不再显示在检查表中，但会连同原因一并保留备查。</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in to the sync server</source>
        <translation>登录同步服务器</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The password is used once to sign this laptop in and is not stored. Records stay on the laptop whatever happens here.</source>
        <translation>密码只用于本次登录本机，不会被保存。无论登录是否成功，记录都会保留在本机上。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
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
        <source>Sync</source>
        <translation>同步</translation>
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
<context>
    <name>SyncMessages</name>
    <message>
        <source>The server {server} cannot be reached. Check the address and the network; fieldcheck tries again later.</source>
        <translation>无法连接服务器 {server}。请检查地址和网络；fieldcheck 稍后会自动重试。</translation>
    </message>
    <message>
        <source>The answer was a web page, not the fieldcheck server: the Wi-Fi may want you to log in through a browser first.</source>
        <translation>收到的是一个网页，而不是 fieldcheck 服务器的应答：当前 Wi-Fi 可能需要先在浏览器中登录认证。</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be understood. Is {server} a fieldcheck server?</source>
        <translation>无法识别服务器的应答。{server} 是 fieldcheck 服务器吗？</translation>
    </message>
    <message>
        <source>The server had a problem. Nothing was lost; fieldcheck tries again later.</source>
        <translation>服务器出现故障。数据没有丢失；fieldcheck 稍后会自动重试。</translation>
    </message>
    <message>
        <source>The server refused the sign-in. Sign in again.</source>
        <translation>服务器拒绝了登录，请重新登录。</translation>
    </message>
    <message>
        <source>The server refused the request ({code}).</source>
        <translation>服务器拒绝了请求（{code}）。</translation>
    </message>
    <message>
        <source>The sync was cancelled.</source>
        <translation>同步已取消。</translation>
    </message>
    <message>
        <source>The server&apos;s history changed (restored from an older backup?). Syncing is stopped until you look at it under Needs attention.</source>
        <translation>服务器的历史记录发生了变化（可能从较早的备份恢复）。在您到“待处理事项”中查看之前，同步会一直暂停。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Enter the user name and the password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>This account is disabled. Contact the bureau.</source>
        <translation>此账号已被停用，请联系局里。</translation>
    </message>
    <message>
        <source>This laptop was revoked by the bureau. Nothing on it was deleted; contact the bureau.</source>
        <translation>局里已吊销本机的同步权限。本机上的数据没有被删除；请联系局里。</translation>
    </message>
    <message>
        <source>The sign-in expired. Sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>The sign-in is no longer valid. Sign in again.</source>
        <translation>登录已失效，请重新登录。</translation>
    </message>
    <message>
        <source>The sign-in belongs to another laptop. Sign in again.</source>
        <translation>此登录属于另一台电脑，请重新登录。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>正在查询服务器…</translation>
    </message>
    <message>
        <source>Uploading photos</source>
        <translation>正在上传照片</translation>
    </message>
    <message>
        <source>Sending changes…</source>
        <translation>正在上传修改…</translation>
    </message>
    <message>
        <source>Receiving changes…</source>
        <translation>正在接收修改…</translation>
    </message>
    <message>
        <source>Downloading photos…</source>
        <translation>正在下载照片…</translation>
    </message>
    <message>
        <source>Checking the server&apos;s ledger…</source>
        <translation>正在核验服务器账本…</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>即将完成…</translation>
    </message>
    <message>
        <source>Synced</source>
        <extracomment>Per-record sync states (``sync_state.record_states``) as a list shows them.</extracomment>
        <translation>已同步</translation>
    </message>
    <message>
        <source>Waiting to upload</source>
        <translation>等待上传</translation>
    </message>
    <message>
        <source>Conflict: needs attention</source>
        <translation>冲突：需要处理</translation>
    </message>
    <message>
        <source>Rejected by the server: needs attention</source>
        <translation>被服务器拒绝：需要处理</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>On the server</source>
        <extracomment>Per-photo states (``sync_marks.photo_sync_state``) as the gallery&apos;s tooltips name them.</extracomment>
        <translation>已在服务器上</translation>
    </message>
    <message>
        <source>Needs attention: refused by the server, in conflict, or the file on this laptop changed</source>
        <translation>需要处理：被服务器拒绝、有冲突，或本机上的文件已改变</translation>
    </message>
    <message>
        <source>Compound</source>
        <extracomment>Record kinds (entities) as the Needs attention panel names them.</extracomment>
        <translation>小区</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Illegal structure</source>
        <translation>违法建设</translation>
    </message>
    <message>
        <source>Viewpoint</source>
        <translation>拍摄点位</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>检查项答案</translation>
    </message>
    <message>
        <source>Annotation</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Rectification</source>
        <translation>整改措施</translation>
    </message>
    <message>
        <source>Removal</source>
        <translation>删除记录</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>To upload: records {records}, photos {photos}</source>
        <translation>待上传：{records} 条记录，{photos} 张照片</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>上次同步：{time}</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <source>Needs attention: {count}</source>
        <translation>待处理：{count}</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <source>Server: {server}, user: {user}</source>
        <translation>服务器：{server}，用户：{user}</translation>
    </message>
    <message>
        <source>Network changes are not watched here: syncing every 5 minutes.</source>
        <translation>无法监测网络变化：每 5 分钟同步一次。</translation>
    </message>
    <message>
        <source>Uploading photo {number} of {total}: {sent} of {size} MB</source>
        <translation>正在上传第 {number}/{total} 张照片：{sent}/{size} MB</translation>
    </message>
</context>
<context>
    <name>SyncUi</name>
    <message>
        <source>&amp;Sync</source>
        <extracomment>Tests may set this before the window is built (shorter timeouts and retries).</extracomment>
        <translation>同步(&amp;S)</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Needs attention…</source>
        <translation>待处理事项…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
</TS>
